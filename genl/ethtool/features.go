package ethtool

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/ipr-go/ipr/genl"
)

// Feature is the state of one netdev feature, what a line of
// `ethtool -k` shows.
type Feature struct {
	// Name is the feature's name in the features string set ("rx-gro").
	Name string
	// Active says the feature is on.
	Active bool
	// Wanted says the user asked for it on (it may differ from Active
	// while a dependency holds it off).
	Wanted bool
	// Changeable says the device lets the feature be changed (the hw
	// bitset).
	Changeable bool
	// NoChange says the feature never changes (NETIF_F_NEVER_CHANGE).
	NoChange bool
}

// Fixed reports whether the feature cannot be changed: `ethtool -k`'s
// "[fixed]".
func (f Feature) Fixed() bool { return !f.Changeable || f.NoChange }

// String formats f as `ethtool -k` prints a feature: "name: on",
// "name: off [fixed]", "name: off [requested on]".
func (f Feature) String() string {
	s := f.Name + ": " + onOff(f.Active)
	switch {
	case f.Fixed():
		s += " [fixed]"
	case f.Active != f.Wanted:
		s += " [requested " + onOff(f.Wanted) + "]"
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// FeatureSet is the features of one device (ETHTOOL_MSG_FEATURES_GET):
// four bitsets over the features string set, whose names it keeps.
type FeatureSet struct {
	// Index and Name are the device's.
	Index int
	Name  string
	// HW (changeable), Wanted, Active and NoChange are the kernel's
	// bitsets, bit i being feature Names[i].
	HW, Wanted, Active, NoChange Bitset
	// Names are the features string set (shared between the sets of
	// one call: do not modify).
	Names []string
}

// Len returns the number of features.
func (s *FeatureSet) Len() int { return s.Active.Size }

// At returns feature i (0 <= i < Len).
func (s *FeatureSet) At(i int) Feature {
	return Feature{
		Name:       s.Active.Name(i, s.Names),
		Active:     s.Active.Test(i),
		Wanted:     s.Wanted.Test(i),
		Changeable: s.HW.Test(i),
		NoChange:   s.NoChange.Test(i),
	}
}

// Get returns the feature called name.
func (s *FeatureSet) Get(name string) (Feature, bool) {
	if name == "" {
		return Feature{}, false
	}
	for i := range s.Len() {
		if s.Active.Name(i, s.Names) == name {
			return s.At(i), true
		}
	}
	return Feature{}, false
}

// All yields the features in the order of their bits (the order of
// `ethtool -k`'s features outside its legacy groups), leaving out the
// unnamed bits (retired features), as ethtool does.
func (s *FeatureSet) All() iter.Seq[Feature] {
	return func(yield func(Feature) bool) {
		for i := range s.Len() {
			f := s.At(i)
			if f.Name != "" && !yield(f) {
				return
			}
		}
	}
}

// Clone returns a copy of s that shares nothing with it but Names.
func (s *FeatureSet) Clone() *FeatureSet {
	c := *s
	for _, b := range []*Bitset{&c.HW, &c.Wanted, &c.Active, &c.NoChange} {
		b.Value, b.Mask, b.Names = slices.Clone(b.Value), slices.Clone(b.Mask), slices.Clone(b.Names)
	}
	return &c
}

// Parse decodes into s, reusing its storage, a FEATURES_GET reply or a
// FEATURES_NTF notification (a Monitor of the family's "monitor" group
// sees those when features change), whose bitsets name their bits by
// names, the features string set (compact) or themselves (verbose).
func (s *FeatureSet) Parse(m genl.Message, names []string) error {
	var v FeaturesView
	var err error
	if m.Command == EthtoolMsgFeaturesNtf {
		v, err = ParseFeaturesNtf(m)
	} else {
		v, err = ParseFeaturesGetReply(m)
	}
	if err != nil {
		return err
	}
	hdr, ok := v.Header()
	if !ok {
		return fmt.Errorf("ethtool: features reply without a header")
	}
	idx, _ := hdr.DevIndex()
	s.Index = int(idx)
	if name, ok := hdr.DevNameBytes(); !ok {
		s.Name = ""
	} else if s.Name != string(name) {
		s.Name = string(name)
	}
	s.Names = names
	// By attribute type rather than through the view's methods: method
	// values in a table would be allocated on every call.
	for _, b := range [...]struct {
		dst  *Bitset
		typ  uint16
		what string
	}{{&s.HW, EthtoolAFeaturesHW, "hw"}, {&s.Wanted, EthtoolAFeaturesWanted, "wanted"}, {&s.Active, EthtoolAFeaturesActive, "active"}, {&s.NoChange, EthtoolAFeaturesNochange, "nochange"}} {
		a, ok := v.Attrs.Get(b.typ)
		if !ok {
			return fmt.Errorf("ethtool: features of %s: no %s bitset", s.Name, b.what)
		}
		if err := b.dst.Parse(BitsetView{a.Nested()}, names); err != nil {
			return fmt.Errorf("ethtool: features of %s, %s: %w", s.Name, b.what, err)
		}
	}
	return nil
}

// GetFeatures returns the features of dev, as `ethtool -k` shows them:
// two requests, the features string set and the device's bitsets
// (compact).
func GetFeatures(ctx context.Context, h *genl.Handle, dev Device) (*FeatureSet, error) {
	if err := dev.check(); err != nil {
		return nil, err
	}
	names, err := StringSet(ctx, h, Device{}, StringSetFeatures)
	if err != nil {
		return nil, err
	}
	s := &FeatureSet{}
	err = query(ctx, h, dev, featuresGet(dev), func(m genl.Message) error { return s.Parse(m, names) })
	if err != nil {
		return nil, err
	}
	return s, nil
}

// featuresGet is the FEATURES_GET request of dev, with compact bitsets;
// the zero Device makes it a dump's.
func featuresGet(dev Device) genl.Request {
	return FeaturesGetRequest(func(e FeaturesEncoder) {
		if dev == (Device{}) {
			e.Header(func(h HeaderEncoder) { h.Flags(EthtoolFlagCompactBitsets) })
			return
		}
		e.Header(dev.Header(EthtoolFlagCompactBitsets))
	})
}

// AllFeatures dumps the features of every device of the handle's
// namespace: one request for the string set, one dump. It yields one
// FeatureSet, reused: valid until the next iteration (Clone keeps it);
// decoding allocates only a changed device name.
func AllFeatures(ctx context.Context, h *genl.Handle) iter.Seq2[*FeatureSet, error] {
	return func(yield func(*FeatureSet, error) bool) {
		names, err := StringSet(ctx, h, Device{}, StringSetFeatures)
		if err != nil {
			yield(nil, err)
			return
		}
		f, err := Family(ctx, h)
		if err != nil {
			yield(nil, err)
			return
		}
		s := &FeatureSet{}
		for m, err := range h.Dump(ctx, f, featuresGet(Device{})) {
			if err == nil {
				err = s.Parse(m, names)
			}
			if err != nil {
				yield(nil, fmt.Errorf("ethtool: features: %w", err))
				return
			}
			if !yield(s, nil) {
				return
			}
		}
	}
}

// FeaturesOf returns the features of each of devs, read by requests
// pipelined in one batch (genl.Handle.Batch): sets[i] is nil where
// errs[i] says why. err is set when the batch as a whole failed.
func FeaturesOf(ctx context.Context, h *genl.Handle, devs []Device) (sets []*FeatureSet, errs []error, err error) {
	for _, d := range devs {
		if err := d.check(); err != nil {
			return nil, nil, err
		}
	}
	if len(devs) == 0 {
		return nil, nil, nil
	}
	names, err := StringSet(ctx, h, Device{}, StringSetFeatures)
	if err != nil {
		return nil, nil, err
	}
	f, err := Family(ctx, h)
	if err != nil {
		return nil, nil, err
	}
	reqs := make([]genl.Request, len(devs))
	for i, d := range devs {
		reqs[i] = featuresGet(d)
	}
	sets = make([]*FeatureSet, len(devs))
	all := make([]FeatureSet, len(devs))
	results, err := h.Batch(ctx, f, reqs, func(i int, m genl.Message) error {
		if err := all[i].Parse(m, names); err != nil {
			return err
		}
		sets[i] = &all[i]
		return nil
	})
	for i, r := range results {
		if r != nil {
			sets[i] = nil
			results[i] = fmt.Errorf("ethtool: %s: %w", devs[i], r)
		}
	}
	return sets, results, err
}

// FeatureError reports the features a SetFeatures did not leave as
// asked: the kernel kept them (they are fixed, or depend on others).
type FeatureError struct {
	// Device is the device changed.
	Device Device
	// Names are the features not as asked, sorted.
	Names []string
}

func (e *FeatureError) Error() string {
	return fmt.Sprintf("ethtool: %s: could not change %s", e.Device, strings.Join(e.Names, ", "))
}

// SetFeatures turns the features named in changes on (true) or off
// (false) on dev, as `ethtool -K dev name on|off` does. Names are
// checked against the kernel's features string set first: an unknown
// name is an error and nothing is sent. Features the kernel did not
// change as asked (fixed ones, ones a dependency holds) make a
// *FeatureError; the others are changed.
func SetFeatures(ctx context.Context, h *genl.Handle, dev Device, changes map[string]bool) error {
	if err := dev.check(); err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	names, err := StringSet(ctx, h, Device{}, StringSetFeatures)
	if err != nil {
		return err
	}
	want := Bitset{Size: len(names), Value: make([]uint32, words(len(names))), Mask: make([]uint32, words(len(names)))}
	var unknown []string
	for name, on := range changes {
		i := slices.Index(names, name)
		if i < 0 || name == "" {
			unknown = append(unknown, fmt.Sprintf("%q", name))
			continue
		}
		setBit(want.Mask, i, true)
		setBit(want.Value, i, on)
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("ethtool: %s: unknown features %s", dev, strings.Join(unknown, ", "))
	}
	f, err := Family(ctx, h)
	if err != nil {
		return err
	}
	var kept []string
	r := FeaturesSetRequest(func(e FeaturesEncoder) {
		e.Header(dev.Header(EthtoolFlagCompactBitsets))
		e.Wanted(want.Encode)
	})
	err = h.Do(ctx, f, r, func(m genl.Message) error {
		// The reply, sent when the result is not what was asked, has
		// the bits whose wanted and active values differ.
		v, err := ParseFeaturesSetReply(m)
		if err != nil {
			return err
		}
		bv, ok := v.Wanted()
		if !ok {
			return nil
		}
		var diff Bitset
		if err := diff.Parse(bv, names); err != nil {
			return err
		}
		for i := range want.Size {
			if want.Masked(i) && diff.Test(i) {
				kept = append(kept, names[i])
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ethtool: %s: %w", dev, err)
	}
	if len(kept) > 0 {
		slices.Sort(kept)
		return &FeatureError{Device: dev, Names: kept}
	}
	return nil
}
