/*
 * Moving a prepared veth end into a SnapStart copy's network namespace, over rtnetlink (see snapstart.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "snapstart.h"

struct request {
    struct nlmsghdr header;
    union {
        struct ifinfomsg link;
        struct ifaddrmsg address;
        struct rtmsg route;
    } body;
    char attributes[128];
};

static void begin(struct request *r, uint16_t type, uint16_t flags, size_t body) {
    memset(r, 0, sizeof *r);
    r->header.nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
    r->header.nlmsg_type = type;
    r->header.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
}

static void attribute(struct request *r, uint16_t type, const void *data, size_t length) {
    struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->header.nlmsg_len));
    a->rta_type = type;
    a->rta_len = (uint16_t)RTA_LENGTH(length);
    memcpy(RTA_DATA(a), data, length);
    r->header.nlmsg_len = (uint32_t)(NLMSG_ALIGN(r->header.nlmsg_len) + RTA_ALIGN(a->rta_len));
}

/* Sends one request and reads its acknowledgement: 0, or the kernel's errno. */
static int exchange(int socket_fd, struct request *r) {
    if (send(socket_fd, r, r->header.nlmsg_len, 0) < 0) return errno;
    char buffer[4096];
    ssize_t n = recv(socket_fd, buffer, sizeof buffer, 0);
    if (n < 0) return errno;
    struct nlmsghdr *h = (struct nlmsghdr *)buffer;
    if (!NLMSG_OK(h, (unsigned)n) || h->nlmsg_type != NLMSG_ERROR) return EPROTO;
    struct nlmsgerr *e = NLMSG_DATA(h);
    return -e->error;
}

static int failed(char *err, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* The default route's gateway in the current network namespace (0 when there is none). */
static uint32_t default_gateway(void) {
    FILE *f = fopen("/proc/self/net/route", "re");
    if (!f) return 0;
    char line[256], name[32];
    unsigned long destination, gateway;
    uint32_t found = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%31s %lx %lx", name, &destination, &gateway) == 3 && destination == 0 && gateway != 0) {
            found = (uint32_t)gateway;  /* /proc prints the address as it lies in memory: network order already */
            break;
        }
    }
    fclose(f);
    return found;
}

int move_interface(const char *prepared_path, int target_ns, char *err, size_t errlen) {
    int prepared = open(prepared_path, O_RDONLY | O_CLOEXEC);
    if (prepared < 0) return failed(err, errlen, "open %s: %s", prepared_path, strerror(errno));
    if (setns(prepared, CLONE_NEWNET) < 0) {
        close(prepared);
        return failed(err, errlen, "setns %s: %s", prepared_path, strerror(errno));
    }
    close(prepared);

    struct in_addr address = { 0 };
    int prefix = -1;
    struct ifaddrs *list;
    if (getifaddrs(&list) < 0) return failed(err, errlen, "getifaddrs: %s", strerror(errno));
    for (struct ifaddrs *i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || strcmp(i->ifa_name, "eth0") != 0) continue;
        address = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
        uint32_t mask = ntohl(((struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr);
        prefix = 0;
        while (mask & 0x80000000u) { prefix++; mask <<= 1; }
        break;
    }
    freeifaddrs(list);
    if (prefix < 0) return failed(err, errlen, "the prepared namespace has no IPv4 eth0");
    uint32_t gateway = default_gateway();
    unsigned index = if_nametoindex("eth0");
    if (index == 0) return failed(err, errlen, "eth0: %s", strerror(errno));

    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (nl < 0) return failed(err, errlen, "netlink: %s", strerror(errno));
    struct request r;
    begin(&r, RTM_NEWLINK, 0, sizeof r.body.link);
    r.body.link.ifi_family = AF_UNSPEC;
    r.body.link.ifi_index = (int)index;
    uint32_t ns = (uint32_t)target_ns;
    attribute(&r, IFLA_NET_NS_FD, &ns, sizeof ns);
    int rc = exchange(nl, &r);
    close(nl);
    if (rc != 0) return failed(err, errlen, "moving eth0: %s", strerror(rc));

    if (setns(target_ns, CLONE_NEWNET) < 0) return failed(err, errlen, "setns into the copy: %s", strerror(errno));
    nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (nl < 0) return failed(err, errlen, "netlink: %s", strerror(errno));
    index = if_nametoindex("eth0");
    if (index == 0) { close(nl); return failed(err, errlen, "eth0 in the copy: %s", strerror(errno)); }

    begin(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof r.body.address);
    r.body.address.ifa_family = AF_INET;
    r.body.address.ifa_prefixlen = (unsigned char)prefix;
    r.body.address.ifa_index = index;
    attribute(&r, IFA_LOCAL, &address, sizeof address);
    attribute(&r, IFA_ADDRESS, &address, sizeof address);
    rc = exchange(nl, &r);
    if (rc != 0) { close(nl); return failed(err, errlen, "address of eth0: %s", strerror(rc)); }

    begin(&r, RTM_NEWLINK, 0, sizeof r.body.link);
    r.body.link.ifi_family = AF_UNSPEC;
    r.body.link.ifi_index = (int)index;
    r.body.link.ifi_flags = IFF_UP;
    r.body.link.ifi_change = IFF_UP;
    rc = exchange(nl, &r);
    if (rc != 0) { close(nl); return failed(err, errlen, "eth0 up: %s", strerror(rc)); }

    if (gateway != 0) {
        begin(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof r.body.route);
        r.body.route.rtm_family = AF_INET;
        r.body.route.rtm_table = RT_TABLE_MAIN;
        r.body.route.rtm_protocol = RTPROT_BOOT;
        r.body.route.rtm_scope = RT_SCOPE_UNIVERSE;
        r.body.route.rtm_type = RTN_UNICAST;
        attribute(&r, RTA_GATEWAY, &gateway, sizeof gateway);
        uint32_t oif = index;
        attribute(&r, RTA_OIF, &oif, sizeof oif);
        rc = exchange(nl, &r);
        if (rc != 0) { close(nl); return failed(err, errlen, "default route: %s", strerror(rc)); }
    }
    close(nl);
    return 0;
}
