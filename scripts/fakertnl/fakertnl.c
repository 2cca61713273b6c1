// fakertnl.c: an LD_PRELOAD shim that stands in for the kernel's
// NETLINK_ROUTE under iproute2's tc, ip and bridge, so that they print
// objects this kernel cannot hold (qdiscs, filters and actions of kinds
// it lacks, links of kinds it lacks): scripts/tcprint_golden.sh records
// what tc prints for them, which ipr's printers must equal.
//
// Every NETLINK_ROUTE socket is faked (the real one is opened and bound,
// so that setsockopt and getsockname work). Requests are answered from
// the messages of the file named by $FAKERTNL_REPLIES: one netlink
// message a line, in hex, nlmsghdr included (lines that are not all hex
// digits are ignored; sequence numbers, port ids and flags are set by
// the shim):
//
//   - a dump of type RTM_GETx gets every message of the file of type
//     RTM_NEWx (RTM_GETQDISC gets the RTM_NEWQDISCs, RTM_GETLINK the
//     RTM_NEWLINKs, ...) or RTM_GETx (the kernel answers action dumps
//     with RTM_GETACTIONs), in the file's order, then NLMSG_DONE; the
//     file's messages are not filtered by the request's ifindex or
//     parent, as the kernel would;
//   - RTM_GETLINK of one link (by ifi_index or IFLA_IFNAME, as
//     ll_name_to_index and ll_index_to_name ask) gets the file's
//     RTM_NEWLINK of that index or name, else a fake link from
//     $FAKERTNL_LINKS ("name=index ...", default "lo=1 p1=2 p0=3"),
//     else ENODEV; a dump of links when the file has none gets the fake
//     links;
//   - another RTM_GETx that is not a dump gets the file's first RTM_NEWx,
//     else ENOENT;
//   - any other request is acknowledged (if it asks for an ack).
//
// Every request is written in hex, one a line, to $FAKERTNL_LOG if set.
//
// Build: gcc -shared -fPIC -o fakertnl.so fakertnl.c
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../fakelog.h"

#define MAXFD 1024
#define MAXMSGS 4096
#define MAXLINKS 64

// A datagram waiting to be read.
struct dgram {
	struct dgram *next;
	size_t len;
	unsigned char data[];
};

static struct {
	int faked;
	struct dgram *head, *tail;
} socks[MAXFD];

static unsigned char *msgs[MAXMSGS];
static size_t nmsgs;
static int loaded;

static struct {
	char name[IFNAMSIZ];
	int index;
} links[MAXLINKS];
static size_t nlinks;

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void load(void)
{
	if (loaded)
		return;
	loaded = 1;
	const char *spec = getenv("FAKERTNL_LINKS");
	if (!spec)
		spec = "lo=1 p1=2 p0=3";
	char *s = strdup(spec), *save = NULL;
	for (char *w = strtok_r(s, " \t\n", &save); w && nlinks < MAXLINKS; w = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(w, '=');
		if (!eq || eq - w >= IFNAMSIZ)
			continue;
		memcpy(links[nlinks].name, w, eq - w);
		links[nlinks].name[eq - w] = 0;
		links[nlinks].index = atoi(eq + 1);
		nlinks++;
	}
	free(s);
	const char *path = getenv("FAKERTNL_REPLIES");
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0 && nmsgs < MAXMSGS) {
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = 0;
		if (n < 2 * NLMSG_HDRLEN || n % 2)
			continue;
		int ok = 1;
		for (ssize_t i = 0; i < n && ok; i++)
			ok = hexval(line[i]) >= 0;
		if (!ok)
			continue;
		unsigned char *m = calloc(1, NLMSG_ALIGN(n / 2));
		for (ssize_t i = 0; i < n / 2; i++)
			m[i] = hexval(line[2 * i]) << 4 | hexval(line[2 * i + 1]);
		struct nlmsghdr *h = (struct nlmsghdr *)m;
		if (h->nlmsg_len < NLMSG_HDRLEN || NLMSG_ALIGN(h->nlmsg_len) != (size_t)n / 2) {
			free(m);
			continue;
		}
		msgs[nmsgs++] = m;
	}
	free(line);
	fclose(f);
}

static uint32_t port_of(int fd)
{
	struct sockaddr_nl sa = { 0 };
	socklen_t len = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return 0;
	return sa.nl_pid;
}

// The datagram being built for the request being answered.
static unsigned char out[1 << 20];
static size_t outlen;

static void put(const struct nlmsghdr *req, uint32_t port, const void *msg, size_t len, uint16_t flags)
{
	if (outlen + NLMSG_ALIGN(len) > sizeof(out))
		return;
	memcpy(out + outlen, msg, len);
	memset(out + outlen + len, 0, NLMSG_ALIGN(len) - len);
	struct nlmsghdr *h = (struct nlmsghdr *)(out + outlen);
	h->nlmsg_len = len;
	h->nlmsg_seq = req->nlmsg_seq;
	h->nlmsg_pid = port;
	h->nlmsg_flags = flags;
	outlen += NLMSG_ALIGN(len);
}

static void status(const struct nlmsghdr *req, uint32_t port, uint16_t type, int error)
{
	unsigned char p[NLMSG_HDRLEN + 4 + NLMSG_HDRLEN] = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)p;
	int32_t e = -error;
	h->nlmsg_type = type;
	memcpy(p + NLMSG_HDRLEN, &e, 4);
	size_t len = NLMSG_HDRLEN + 4;
	if (type == NLMSG_ERROR) {
		struct nlmsghdr echo = *req;
		echo.nlmsg_len = NLMSG_HDRLEN;
		memcpy(p + len, &echo, NLMSG_HDRLEN);
		len += NLMSG_HDRLEN;
	}
	put(req, port, p, len, type == NLMSG_DONE ? NLM_F_MULTI : NLM_F_CAPPED);
}

// linkname returns the IFLA_IFNAME of a link request or reply, or "".
static const char *linkname(const struct nlmsghdr *h)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg));
	while (off + RTA_LENGTH(0) <= h->nlmsg_len) {
		const struct rtattr *a = (const struct rtattr *)((const unsigned char *)h + off);
		if (a->rta_len < RTA_LENGTH(0) || off + a->rta_len > h->nlmsg_len)
			break;
		if ((a->rta_type & NLA_TYPE_MASK) == IFLA_IFNAME && a->rta_len > RTA_LENGTH(0)) {
			const char *s = RTA_DATA(a);
			if (memchr(s, 0, RTA_PAYLOAD(a)))
				return s;
		}
		off += RTA_ALIGN(a->rta_len);
	}
	return "";
}

static int ifindex_of(const struct nlmsghdr *h)
{
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return 0;
	return ((const struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
}

static void fake_link(const struct nlmsghdr *req, uint32_t port, uint16_t flags, const char *name, int index)
{
	unsigned char p[256] = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)p;
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	h->nlmsg_type = RTM_NEWLINK;
	ifi->ifi_type = strcmp(name, "lo") ? ARPHRD_ETHER : ARPHRD_LOOPBACK;
	ifi->ifi_index = index;
	ifi->ifi_flags = IFF_UP | IFF_RUNNING | IFF_LOWER_UP | (strcmp(name, "lo") ? IFF_BROADCAST | IFF_MULTICAST : IFF_LOOPBACK);
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifi));
	struct rtattr *a = (struct rtattr *)(p + off);
	a->rta_type = IFLA_IFNAME;
	a->rta_len = RTA_LENGTH(strlen(name) + 1);
	strcpy(RTA_DATA(a), name);
	off += RTA_ALIGN(a->rta_len);
	a = (struct rtattr *)(p + off);
	a->rta_type = IFLA_MTU;
	a->rta_len = RTA_LENGTH(4);
	uint32_t mtu = strcmp(name, "lo") ? 1500 : 65536;
	memcpy(RTA_DATA(a), &mtu, 4);
	off += RTA_ALIGN(a->rta_len);
	put(req, port, p, off, flags);
}

static void get_link(const struct nlmsghdr *req, uint32_t port)
{
	const char *name = linkname(req);
	int index = ifindex_of(req);
	for (size_t i = 0; i < nmsgs; i++) {
		const struct nlmsghdr *m = (const struct nlmsghdr *)msgs[i];
		if (m->nlmsg_type != RTM_NEWLINK)
			continue;
		if ((index && ifindex_of(m) == index) || (!index && *name && !strcmp(linkname(m), name))) {
			put(req, port, m, m->nlmsg_len, 0);
			return;
		}
	}
	for (size_t i = 0; i < nlinks; i++)
		if ((index && links[i].index == index) || (!index && *name && !strcmp(links[i].name, name))) {
			fake_link(req, port, 0, links[i].name, links[i].index);
			return;
		}
	status(req, port, NLMSG_ERROR, ENODEV);
}

static void answer(int fd, const struct nlmsghdr *req)
{
	uint32_t port = port_of(fd);
	log_request("FAKERTNL_LOG", req);
	uint16_t type = req->nlmsg_type;
	int get = type >= RTM_BASE && type % 4 == 2;
	int dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (get && dump) {
		size_t found = 0;
		for (size_t i = 0; i < nmsgs; i++) {
			const struct nlmsghdr *m = (const struct nlmsghdr *)msgs[i];
			if (m->nlmsg_type == type - 2 || m->nlmsg_type == type) {
				put(req, port, m, m->nlmsg_len, NLM_F_MULTI);
				found++;
			}
		}
		if (!found && type == RTM_GETLINK)
			for (size_t i = 0; i < nlinks; i++)
				fake_link(req, port, NLM_F_MULTI, links[i].name, links[i].index);
		status(req, port, NLMSG_DONE, 0);
		return;
	}
	if (type == RTM_GETLINK) {
		get_link(req, port);
		return;
	}
	if (get) {
		for (size_t i = 0; i < nmsgs; i++) {
			const struct nlmsghdr *m = (const struct nlmsghdr *)msgs[i];
			if (m->nlmsg_type == type - 2) {
				put(req, port, m, m->nlmsg_len, 0);
				return;
			}
		}
		status(req, port, NLMSG_ERROR, ENOENT);
		return;
	}
	if (req->nlmsg_flags & NLM_F_ACK)
		status(req, port, NLMSG_ERROR, 0);
}

static void enqueue(int fd)
{
	if (!outlen)
		return;
	struct dgram *d = malloc(sizeof(*d) + outlen);
	d->next = NULL;
	d->len = outlen;
	memcpy(d->data, out, outlen);
	outlen = 0;
	if (socks[fd].tail)
		socks[fd].tail->next = d;
	else
		socks[fd].head = d;
	socks[fd].tail = d;
}

// requests answers each request of a datagram sent on fd with a
// datagram of its own.
static void requests(int fd, const unsigned char *buf, size_t len)
{
	load();
	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			break;
		outlen = 0;
		answer(fd, h);
		enqueue(fd);
		size_t n = NLMSG_ALIGN(h->nlmsg_len);
		if (n >= len)
			break;
		buf += n;
		len -= n;
	}
}

static int faked(int fd) { return fd >= 0 && fd < MAXFD && socks[fd].faked; }

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "socket");
	int fd = real(domain, type, protocol);
	if (fd >= 0 && fd < MAXFD && domain == AF_NETLINK && protocol == NETLINK_ROUTE)
		socks[fd].faked = 1;
	return fd;
}

int close(int fd)
{
	static int (*real)(int);
	if (!real)
		real = dlsym(RTLD_NEXT, "close");
	if (faked(fd)) {
		while (socks[fd].head) {
			struct dgram *d = socks[fd].head;
			socks[fd].head = d->next;
			free(d);
		}
		socks[fd].tail = NULL;
		socks[fd].faked = 0;
	}
	return real(fd);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	if (!faked(fd))
		return real(fd, buf, len, flags, to, tolen);
	requests(fd, buf, len);
	return len;
}

ssize_t send(int fd, const void *buf, size_t len, int flags) { return sendto(fd, buf, len, flags, NULL, 0); }

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "sendmsg");
	if (!faked(fd))
		return real(fd, msg, flags);
	static unsigned char buf[1 << 20];
	size_t total = 0;
	for (size_t i = 0; i < msg->msg_iovlen && total + msg->msg_iov[i].iov_len <= sizeof(buf); i++) {
		memcpy(buf + total, msg->msg_iov[i].iov_base, msg->msg_iov[i].iov_len);
		total += msg->msg_iov[i].iov_len;
	}
	requests(fd, buf, total);
	return total;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "recvmsg");
	if (!faked(fd))
		return real(fd, msg, flags);
	struct dgram *d = socks[fd].head;
	if (!d) {
		// Nothing was asked: the kernel would block; say so once
		// rather than let a caller that retries EAGAIN spin.
		errno = (flags & MSG_DONTWAIT) ? EAGAIN : ENOMSG;
		return -1;
	}
	size_t copied = 0;
	for (size_t i = 0; i < msg->msg_iovlen && copied < d->len; i++) {
		size_t n = d->len - copied;
		if (n > msg->msg_iov[i].iov_len)
			n = msg->msg_iov[i].iov_len;
		memcpy(msg->msg_iov[i].iov_base, d->data + copied, n);
		copied += n;
	}
	if (msg->msg_name && msg->msg_namelen >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
		memcpy(msg->msg_name, &sa, sizeof(sa));
		msg->msg_namelen = sizeof(sa);
	}
	msg->msg_controllen = 0;
	msg->msg_flags = copied < d->len ? MSG_TRUNC : 0;
	size_t len = d->len;
	if (!(flags & MSG_PEEK)) {
		socks[fd].head = d->next;
		if (!d->next)
			socks[fd].tail = NULL;
		free(d);
	}
	return (flags & MSG_TRUNC) ? (ssize_t)len : (ssize_t)copied;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	if (!faked(fd))
		return real(fd, buf, len, flags, from, fromlen);
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_name = from, .msg_namelen = fromlen ? *fromlen : 0, .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recvmsg(fd, &msg, flags);
	if (fromlen)
		*fromlen = msg.msg_namelen;
	return n;
}

ssize_t recv(int fd, void *buf, size_t len, int flags) { return recvfrom(fd, buf, len, flags, NULL, NULL); }
