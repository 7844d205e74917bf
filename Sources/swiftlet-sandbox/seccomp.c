/*
 * The seccomp filter of function processes, written as classic BPF by hand (no libseccomp: a fresh
 * Debian does not have it). See seccomp.h for the policy.
 *
 * Layout: check the architecture, load the syscall number, one JEQ per special or denied call, ALLOW;
 * then the blocks that look at an argument (clone, unshare, personality) and the shared returns
 * (BPF jumps only forward, so they all follow the list).
 * Only JEQ/JSET on the number and architecture come before ALLOW, so the kernel's action cache (5.11+)
 * proves every other call allowed once and skips the filter for it: the warm path pays nothing.
 */
#define _GNU_SOURCE
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define FILTER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FILTER_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL
#endif

/* Numbers from 424 on are the same on every architecture; older headers may not name them. */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#define __NR_io_uring_enter 426
#define __NR_io_uring_register 427
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#define __NR_move_mount 429
#define __NR_fsopen 430
#define __NR_fsconfig 431
#define __NR_fsmount 432
#define __NR_fspick 433
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif
#ifndef __NR_process_madvise
#define __NR_process_madvise 440
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_quotactl_fd
#define __NR_quotactl_fd 443
#endif

/* The x32 ABI shares x86_64's audit architecture and marks its numbers with this bit. */
#define X32_SYSCALL_BIT 0x40000000u

/* Namespace flags: clone's low byte is the exit signal, so CLONE_NEWTIME (0x80) only counts for unshare. */
#define NAMESPACE_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
                         CLONE_NEWPID | CLONE_NEWNET)
#define UNSHARE_NAMESPACE_FLAGS (NAMESPACE_FLAGS | 0x00000080u)

/* The personalities Docker allows: PER_LINUX, PER_LINUX32, UNAME26 with either, and the query. */
static const uint32_t allowed_personalities[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffffu };

/* Calls a function has no use for; each answers EPERM. */
static const int denied[] = {
    /* namespaces and mounts */
    __NR_setns, __NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot,
    __NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick, __NR_mount_setattr,
    /* other processes' memory and descriptors */
    __NR_ptrace, __NR_process_vm_readv, __NR_process_vm_writev, __NR_kcmp, __NR_pidfd_getfd, __NR_process_madvise,
    /* the kernel itself */
    __NR_kexec_load, __NR_kexec_file_load, __NR_bpf, __NR_init_module, __NR_finit_module, __NR_delete_module,
    __NR_perf_event_open, __NR_userfaultfd, __NR_reboot, __NR_syslog, __NR_acct, __NR_swapon, __NR_swapoff,
    __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
    /* keys */
    __NR_keyctl, __NR_add_key, __NR_request_key,
    /* files by handle, filesystem-wide watches, quotas */
    __NR_open_by_handle_at, __NR_name_to_handle_at, __NR_fanotify_init, __NR_quotactl, __NR_quotactl_fd,
    /* the machine's clock */
    __NR_settimeofday, __NR_clock_settime, __NR_adjtimex, __NR_clock_adjtime,
    __NR_vhangup,
#ifdef __NR_lookup_dcookie
    __NR_lookup_dcookie,
#endif
#ifdef __NR_iopl
    __NR_iopl,
#endif
#ifdef __NR_ioperm
    __NR_ioperm,
#endif
#ifdef __NR_vm86
    __NR_vm86,
#endif
#ifdef __NR_vm86old
    __NR_vm86old,
#endif
#ifdef __NR_create_module
    __NR_create_module,
#endif
#ifdef __NR_get_kernel_syms
    __NR_get_kernel_syms,
#endif
#ifdef __NR_query_module
    __NR_query_module,
#endif
#ifdef __NR_nfsservctl
    __NR_nfsservctl,
#endif
#ifdef __NR_uselib
    __NR_uselib,
#endif
#ifdef __NR__sysctl
    __NR__sysctl,
#endif
};

/* Jump targets, resolved once every block is placed. */
enum label { NEXT = -1, L_ALLOW, L_CLONE, L_UNSHARE, L_PERSONALITY, L_ENOSYS, L_EPERM, L_KILL, L_COUNT };

struct program {
    struct sock_filter *insns;
    size_t cap, len;
    int jt[SWIFTLET_SECCOMP_MAX], jf[SWIFTLET_SECCOMP_MAX];
    int at[L_COUNT];
    int overflow;
};

static void emit(struct program *p, uint16_t code, uint32_t k, int jt, int jf) {
    if (p->len >= p->cap || p->len >= SWIFTLET_SECCOMP_MAX) { p->overflow = 1; return; }
    p->insns[p->len] = (struct sock_filter){ code, 0, 0, k };
    p->jt[p->len] = jt;
    p->jf[p->len] = jf;
    p->len++;
}

static void place(struct program *p, enum label l) { p->at[l] = (int)p->len; }

static void load(struct program *p, uint32_t offset) { emit(p, BPF_LD | BPF_W | BPF_ABS, offset, NEXT, NEXT); }
static void ret(struct program *p, uint32_t value) { emit(p, BPF_RET | BPF_K, value, NEXT, NEXT); }
static void jeq(struct program *p, uint32_t k, int yes, int no) { emit(p, BPF_JMP | BPF_JEQ | BPF_K, k, yes, no); }
static void jset(struct program *p, uint32_t k, int yes, int no) { emit(p, BPF_JMP | BPF_JSET | BPF_K, k, yes, no); }

/* The low 32 bits of argument 0 (flags and personalities are 32-bit values). */
static uint32_t arg0_low(void) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (uint32_t)offsetof(struct seccomp_data, args[0]);
#else
    return (uint32_t)offsetof(struct seccomp_data, args[0]) + 4;
#endif
}

int swiftlet_seccomp_build(struct sock_filter *out, size_t cap) { return swiftlet_seccomp_build_for(out, cap, 0); }

int swiftlet_seccomp_build_for(struct sock_filter *out, size_t cap, int template_mode) {
#ifndef FILTER_ARCH
    (void)out; (void)cap; (void)template_mode;
    return -1;
#else
    struct program p = { .insns = out, .cap = cap };
    for (int i = 0; i < L_COUNT; i++) p.at[i] = -1;

    load(&p, (uint32_t)offsetof(struct seccomp_data, arch));
    jeq(&p, FILTER_ARCH, NEXT, L_KILL);
    load(&p, (uint32_t)offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
    jset(&p, X32_SYSCALL_BIT, L_EPERM, NEXT);
#endif
    jeq(&p, __NR_clone, L_CLONE, NEXT);
    jeq(&p, __NR_unshare, L_UNSHARE, NEXT);
    jeq(&p, __NR_personality, L_PERSONALITY, NEXT);
    jeq(&p, __NR_clone3, L_ENOSYS, NEXT);
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++) jeq(&p, (uint32_t)denied[i], L_EPERM, NEXT);
    ret(&p, SECCOMP_RET_ALLOW);

    place(&p, L_ENOSYS);
    ret(&p, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));

    place(&p, L_CLONE);
    load(&p, arg0_low());
    jset(&p, NAMESPACE_FLAGS, L_EPERM, L_ALLOW);

    place(&p, L_UNSHARE);
    load(&p, arg0_low());
    /* A template's copy leaves it with exactly this call (snapstart.h); nothing else may make a namespace. */
    if (template_mode) jeq(&p, SWIFTLET_COPY_NAMESPACES, L_ALLOW, NEXT);
    jset(&p, UNSHARE_NAMESPACE_FLAGS, L_EPERM, L_ALLOW);

    place(&p, L_PERSONALITY);
    load(&p, arg0_low());
    for (size_t i = 0; i < sizeof allowed_personalities / sizeof *allowed_personalities; i++)
        jeq(&p, allowed_personalities[i], L_ALLOW, NEXT);
    /* any other personality falls through to EPERM */
    place(&p, L_EPERM);
    ret(&p, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
    place(&p, L_KILL);
    ret(&p, SECCOMP_RET_KILL_PROCESS);
    /* BPF only jumps forward: the argument checks' ALLOW comes last. */
    place(&p, L_ALLOW);
    ret(&p, SECCOMP_RET_ALLOW);

    if (p.overflow) return -1;
    /* Jumps are relative to the next instruction and at most 255 forward. */
    for (size_t i = 0; i < p.len; i++) {
        if (BPF_CLASS(out[i].code) != BPF_JMP) continue;
        int targets[2] = { p.jt[i], p.jf[i] };
        for (int t = 0; t < 2; t++) {
            int offset = targets[t] == NEXT ? 0 : p.at[targets[t]] - (int)i - 1;
            if (offset < 0 || offset > 255) return -1;
            if (t == 0) out[i].jt = (uint8_t)offset; else out[i].jf = (uint8_t)offset;
        }
    }
    return (int)p.len;
#endif
}

int swiftlet_seccomp_install(int template_mode) {
    struct sock_filter insns[SWIFTLET_SECCOMP_MAX];
    int n = swiftlet_seccomp_build_for(insns, SWIFTLET_SECCOMP_MAX, template_mode);
    if (n < 0) return ENOTSUP;
    struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) return errno;
    return 0;
}
