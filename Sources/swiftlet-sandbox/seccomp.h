/*
 * The seccomp filter every function process runs under (sandbox mode).
 *
 * A deny list in the spirit of Docker's default profile: what a function has no business doing
 * (new user namespaces, mounts, ptrace, kexec, bpf, keys, modules, perf, clock setting, …) fails
 * with EPERM instead of killing the process, so a runtime that probes for a feature carries on.
 * clone3 answers ENOSYS, since its flags live in memory a filter cannot read: libc then falls back
 * to clone, whose flags are checked. A system call made under another architecture's convention
 * (i386 via int 0x80 on x86_64) kills the process; x32 calls fail with EPERM.
 */
#ifndef SWIFTLET_SECCOMP_H
#define SWIFTLET_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>

/* Room enough for the program; swiftlet_seccomp_build fails rather than overflow it. */
#define SWIFTLET_SECCOMP_MAX 128

/* Writes the filter for the architecture this launcher was built for into out[0..<cap].
 * Returns the number of instructions, or -1 when it does not fit or the architecture is unknown. */
int swiftlet_seccomp_build(struct sock_filter *out, size_t cap);

/* The same with, for a SnapStart template, the one unshare a copy makes (SWIFTLET_COPY_NAMESPACES) allowed. */
int swiftlet_seccomp_build_for(struct sock_filter *out, size_t cap, int template_mode);

/* The namespaces a template's copy makes for itself, in one unshare: a user namespace of its own owning the rest. */
#define SWIFTLET_COPY_NAMESPACES (0x10000000u /* USER */ | 0x00020000u /* NS */ | 0x40000000u /* NET */ | \
                                  0x04000000u /* UTS */ | 0x08000000u /* IPC */ | 0x20000000u /* PID */)

/* Installs the filter (a template's when template_mode) on the calling thread; no_new_privs must be set. Returns 0,
 * or an errno value. */
int swiftlet_seccomp_install(int template_mode);

#endif
