// fakegenl.c: an LD_PRELOAD shim that stands in for the kernel's generic
// netlink under iproute2's devlink, on a kernel without the devlink
// family (CONFIG_NET_DEVLINK off), so that devlink sends the requests
// whose bytes scripts/devlink_golden.sh records.
//
// Only the NETLINK_GENERIC socket is faked (the real one is opened and
// bound, so that getsockname works): nlctrl's CTRL_CMD_GETFAMILY of
// "devlink" gets a family with id FAKEGENL_ID; a devlink dump gets an
// empty reply; DEVLINK_CMD_PARAM_GET gets one u32 parameter (so that
// "devlink dev param set" goes on to send its PARAM_SET), any other
// request an acknowledgement. Every request to the devlink family is
// written, in hex, one a line, to the file named by $FAKEGENL_LOG.
//
// $FAKEGENL_FAMILY names another family to fake in devlink's place (the
// shim then answers as above, without devlink's PARAM_GET reply), and
// $FAKEGENL_REPLIES a file whose lines are the hex of generic netlink
// payloads (genlmsghdr and attributes, no netlink header): every dump
// gets them, in order, each as one NLM_F_MULTI message of the family,
// before its NLMSG_DONE. Lines starting with '#' are skipped.
//
// Build: gcc -shared -fPIC -o fakegenl.so fakegenl.c
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "../fakelog.h"

#define FAKEGENL_ID 0x21
#define DEVLINK_CMD_PARAM_GET 38
#define DEVLINK_CMD_PARAM_NEW 40
#define DEVLINK_ATTR_BUS_NAME 1
#define DEVLINK_ATTR_DEV_NAME 2
#define DEVLINK_ATTR_PARAM 80
#define DEVLINK_ATTR_PARAM_NAME 81
#define DEVLINK_ATTR_PARAM_TYPE 83
#define DEVLINK_ATTR_PARAM_VALUES_LIST 84
#define DEVLINK_ATTR_PARAM_VALUE 85
#define DEVLINK_ATTR_PARAM_VALUE_DATA 86
#define DEVLINK_ATTR_PARAM_VALUE_CMODE 87

static int genl_fd = -1;
static unsigned char queue[65536];
static size_t queued;

static void put(const void *p, size_t n)
{
	if (queued + n <= sizeof(queue)) {
		memcpy(queue + queued, p, n);
		queued += n;
	}
}

// attr appends an attribute to buf at *off and returns its offset.
static size_t attr(unsigned char *buf, size_t *off, uint16_t type, const void *data, size_t len)
{
	size_t at = *off;
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };
	memcpy(buf + at, &a, sizeof(a));
	if (len)
		memcpy(buf + at + NLA_HDRLEN, data, len);
	memset(buf + at + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	*off = at + NLA_HDRLEN + NLA_ALIGN(len);
	return at;
}

static void end_nest(unsigned char *buf, size_t at, size_t off)
{
	struct nlattr *a = (struct nlattr *)(buf + at);
	a->nla_len = off - at;
}

// port returns the faked socket's port id, which the kernel puts in its
// replies' headers (iproute2's rtnl_talk skips replies without it).
static uint32_t port(void)
{
	struct sockaddr_nl sa = { 0 };
	socklen_t len = sizeof(sa);
	if (getsockname(genl_fd, (struct sockaddr *)&sa, &len) < 0)
		return 0;
	return sa.nl_pid;
}

static void reply(const struct nlmsghdr *req, uint16_t type, uint16_t flags, const unsigned char *payload, size_t len)
{
	struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN + len, .nlmsg_type = type, .nlmsg_flags = flags,
			      .nlmsg_seq = req->nlmsg_seq, .nlmsg_pid = port() };
	put(&h, sizeof(h));
	put(payload, NLMSG_ALIGN(len));
}

static void ack(const struct nlmsghdr *req, int error)
{
	unsigned char p[4 + sizeof(*req)];
	int32_t e = -error;
	memcpy(p, &e, 4);
	memcpy(p + 4, req, sizeof(*req));
	reply(req, NLMSG_ERROR, error ? 0 : NLM_F_CAPPED, p, sizeof(p));
}

static const char *family(void)
{
	const char *f = getenv("FAKEGENL_FAMILY");
	return f && *f ? f : "devlink";
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// dump_replies answers a dump with the payloads of $FAKEGENL_REPLIES.
static void dump_replies(const struct nlmsghdr *req)
{
	const char *path = getenv("FAKEGENL_REPLIES");
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	static char line[65536];
	static unsigned char p[32768];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		size_t n = 0;
		for (char *c = line; hexval(c[0]) >= 0 && hexval(c[1]) >= 0 && n < sizeof(p); c += 2)
			p[n++] = hexval(c[0]) << 4 | hexval(c[1]);
		if (n >= GENL_HDRLEN)
			reply(req, FAKEGENL_ID, NLM_F_MULTI, p, n);
	}
	fclose(f);
}

static void answer(const struct nlmsghdr *req)
{
	unsigned char p[1024] = { 0 };
	size_t off = GENL_HDRLEN;
	const struct genlmsghdr *g = NLMSG_DATA(req);
	if (req->nlmsg_type == GENL_ID_CTRL) {
		const char *want = (const char *)NLMSG_DATA(req) + GENL_HDRLEN + NLA_HDRLEN;
		const char *name = family();
		if (g->cmd != CTRL_CMD_GETFAMILY || strcmp(want, name)) {
			ack(req, ENOENT);
			return;
		}
		uint16_t id = FAKEGENL_ID;
		uint32_t version = 1, hdrsize = 0, maxattr = 200;
		p[0] = CTRL_CMD_NEWFAMILY;
		p[1] = 2;
		attr(p, &off, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
		attr(p, &off, CTRL_ATTR_FAMILY_ID, &id, 2);
		attr(p, &off, CTRL_ATTR_VERSION, &version, 4);
		attr(p, &off, CTRL_ATTR_HDRSIZE, &hdrsize, 4);
		attr(p, &off, CTRL_ATTR_MAXATTR, &maxattr, 4);
		reply(req, GENL_ID_CTRL, 0, p, off);
		if (req->nlmsg_flags & NLM_F_ACK)
			ack(req, 0);
		return;
	}
	if (req->nlmsg_type != FAKEGENL_ID) {
		ack(req, EOPNOTSUPP);
		return;
	}
	log_request("FAKEGENL_LOG", req);
	if (req->nlmsg_flags & NLM_F_DUMP) {
		int32_t zero = 0;
		dump_replies(req);
		reply(req, NLMSG_DONE, NLM_F_MULTI, (unsigned char *)&zero, 4);
		return;
	}
	if (g->cmd == DEVLINK_CMD_PARAM_GET && !strcmp(family(), "devlink")) {
		uint8_t type = 3 /* MNL_TYPE_U32 */, cmode = 1 /* driverinit */;
		uint32_t value = 1;
		p[0] = DEVLINK_CMD_PARAM_NEW;
		p[1] = 1;
		attr(p, &off, DEVLINK_ATTR_BUS_NAME, "pci", 4);
		attr(p, &off, DEVLINK_ATTR_DEV_NAME, "0000:01:00.0", 13);
		size_t param = attr(p, &off, DEVLINK_ATTR_PARAM | NLA_F_NESTED, NULL, 0);
		attr(p, &off, DEVLINK_ATTR_PARAM_NAME, "max_macs", 9);
		attr(p, &off, DEVLINK_ATTR_PARAM_TYPE, &type, 1);
		size_t list = attr(p, &off, DEVLINK_ATTR_PARAM_VALUES_LIST | NLA_F_NESTED, NULL, 0);
		size_t val = attr(p, &off, DEVLINK_ATTR_PARAM_VALUE | NLA_F_NESTED, NULL, 0);
		attr(p, &off, DEVLINK_ATTR_PARAM_VALUE_CMODE, &cmode, 1);
		attr(p, &off, DEVLINK_ATTR_PARAM_VALUE_DATA, &value, 4);
		end_nest(p, val, off);
		end_nest(p, list, off);
		end_nest(p, param, off);
		reply(req, FAKEGENL_ID, 0, p, off);
	}
	if (req->nlmsg_flags & NLM_F_ACK)
		ack(req, 0);
}

static void requests(const unsigned char *buf, size_t len)
{
	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			break;
		answer(h);
		size_t n = NLMSG_ALIGN(h->nlmsg_len);
		if (n > len)
			break;
		buf += n;
		len -= n;
	}
}

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "socket");
	int fd = real(domain, type, protocol);
	if (fd >= 0 && domain == AF_NETLINK && protocol == NETLINK_GENERIC)
		genl_fd = fd;
	return fd;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	if (fd != genl_fd)
		return real(fd, buf, len, flags, to, tolen);
	requests(buf, len);
	return len;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, const void *, size_t, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "send");
	if (fd != genl_fd)
		return real(fd, buf, len, flags);
	requests(buf, len);
	return len;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "sendmsg");
	if (fd != genl_fd)
		return real(fd, msg, flags);
	size_t total = 0;
	unsigned char buf[65536];
	for (size_t i = 0; i < msg->msg_iovlen && total + msg->msg_iov[i].iov_len <= sizeof(buf); i++) {
		memcpy(buf + total, msg->msg_iov[i].iov_base, msg->msg_iov[i].iov_len);
		total += msg->msg_iov[i].iov_len;
	}
	requests(buf, total);
	return total;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "recvmsg");
	if (fd != genl_fd)
		return real(fd, msg, flags);
	if (!queued) {
		errno = EAGAIN;
		return -1;
	}
	// One datagram: everything queued, as the kernel batches replies.
	// MSG_PEEK leaves it queued and MSG_TRUNC returns its whole length,
	// as iproute2's rtnl_recvmsg uses them to size its buffer; a short
	// buffer gets the datagram's head, the rest is lost, as in the kernel.
	size_t room = msg->msg_iovlen ? msg->msg_iov[0].iov_len : 0;
	size_t n = queued < room ? queued : room;
	if (n)
		memcpy(msg->msg_iov[0].iov_base, queue, n);
	if (msg->msg_name && msg->msg_namelen >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
		memcpy(msg->msg_name, &sa, sizeof(sa));
		msg->msg_namelen = sizeof(sa);
	}
	size_t whole = queued;
	if (!(flags & MSG_PEEK))
		queued = 0;
	msg->msg_flags = n < whole ? MSG_TRUNC : 0;
	return (flags & MSG_TRUNC) ? whole : n;
}
