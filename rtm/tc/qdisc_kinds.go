package tc

// newQdiscOptions returns the empty options of a qdisc kind, for
// decoding; RawOptions for a kind this package does not know.
func newQdiscOptions(kind string) QdiscOptions {
	switch kind {
	case "pfifo", "bfifo", "pfifo_head_drop":
		return &FIFO{Name: kind}
	case "ingress":
		return &Ingress{}
	case "clsact":
		return &Clsact{}
	case "htb":
		return &HTB{}
	case "tbf":
		return &TBF{}
	case "fq_codel":
		return &FQCodel{}
	case "prio", "pfifo_fast":
		return &Prio{Name: kind}
	case "sfq":
		return &SFQ{}
	case "netem":
		return &Netem{}
	case "codel":
		return &Codel{}
	case "pie", "fq_pie":
		return &PIE{Name: kind}
	case "fq":
		return &FQ{}
	case "hfsc":
		return &HFSC{}
	case "cake":
		return &Cake{}
	case "red", "choke":
		return &RED{Name: kind}
	case "ets":
		return &ETS{}
	case "mqprio":
		return &MQPrio{}
	case "multiq":
		return &MultiQ{}
	case "plug":
		return &Plug{}
	case "mq", "noqueue", "drr", "qfq":
		return &Bare{Name: kind}
	}
	return &RawOptions{Name: kind}
}

// QdiscOptionsOf decodes the options of q into the options type of its
// kind (*FIFO, *HTB, ...; *RawOptions for a kind this package does not
// know): the value compares equal to the one that configured it, as far
// as the kernel reports it back.
func QdiscOptionsOf(q Qdisc) (QdiscOptions, error) {
	return decodeKind(q.Object, newQdiscOptions(q.Kind()))
}

// newClassOptions returns the empty options of a class kind.
func newClassOptions(kind string) ClassOptions {
	switch kind {
	case "htb":
		return &HTBClass{}
	case "drr":
		return &DRRClass{}
	case "qfq":
		return &QFQClass{}
	case "ets":
		return &ETSClass{}
	case "hfsc":
		return &HFSCClass{}
	}
	return &RawOptions{Name: kind}
}

// ClassOptionsOf decodes the options of c into the options type of its
// kind (*HTBClass, ...; *RawOptions for a kind this package does not
// know).
func ClassOptionsOf(c Class) (ClassOptions, error) {
	return decodeKind(c.Object, newClassOptions(c.Kind()))
}
