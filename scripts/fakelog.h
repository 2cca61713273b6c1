// fakelog.h: what the LD_PRELOAD shims (fakegenl, fakertnl) share. Each
// includes it by a path relative to its own directory, so that a shim
// still builds from its one .c file ("gcc -shared -fPIC fakertnl.c").
#ifndef FAKELOG_H
#define FAKELOG_H

#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>

// log_request appends req, in hex, as one line to the file named by the
// environment variable env, if it is set: the scripts that record the
// requests iproute2 sends read them back from there.
static void log_request(const char *env, const struct nlmsghdr *req)
{
	const char *path = getenv(env);
	FILE *log = path ? fopen(path, "a") : NULL;
	if (!log)
		return;
	for (size_t i = 0; i < req->nlmsg_len; i++)
		fprintf(log, "%02x", ((const unsigned char *)req)[i]);
	fputc('\n', log);
	fclose(log);
}

#endif
