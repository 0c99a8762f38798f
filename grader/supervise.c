/* SPDX-License-Identifier: GPL-3.0-or-later */
/* supervise.c: nngrade-supervise, the supervisor of a probe in its sandbox.
 *
 *   nngrade-supervise REPORT_FD PROGRAM
 *
 * nngrade starts it in the probe's sandbox (under bubblewrap, in namespaces
 * of nngrade's own, or as the sandbox user), with the probe's pipes, limits
 * and working folder, in place of the probe. It starts PROGRAM (a path, or
 * /proc/self/fd/N) as its only child, and:
 *
 * - before the probe runs: no process of its own (RLIMIT_NPROC 0), death
 *   with the supervisor (PR_SET_PDEATHSIG), and a system-call filter
 *   (seccomp, built with libseccomp) that allows what numeric code needs
 *   (memory, files in the folder it sees, time, signals to itself) and
 *   refuses the rest with EPERM: the kernel keyrings (add_key, keyctl,
 *   request_key), SysV and POSIX message queues and shared memory, sockets,
 *   ptrace and reading other processes' memory, mount, namespaces, setsid,
 *   raising limits, signals to any process but itself, ... So no probe can
 *   leave anything in the kernel for another student's probe to find, nor
 *   touch the supervisor. A fork fails with EAGAIN (as RLIMIT_NPROC says),
 *   clone3 with ENOSYS (glibc then tries clone), ioctl with ENOTTY (no
 *   terminal here);
 * - when the probe ends, it writes on REPORT_FD one line, read by nngrade
 *   (sandbox.c, read_report):
 *
 *     nngrade-supervise: status S utime_us U stime_us T maxrss_kib M
 *
 *   S the wait status, U and T the user and system CPU time in
 *   microseconds, M the peak resident memory in KiB, all of the probe
 *   itself, measured where it ran: under bubblewrap, nngrade's own
 *   wait4() sees only bwrap. Then it ends as the probe did (a signal N as
 *   exit status 128 + N).
 *
 * Exit status 126 when it could not start the probe (it says why on
 * stderr), 2 for bad usage. It is linked with the system's libraries only:
 * a sandbox shows nothing else.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <seccomp.h>

/* The environment the probe gets: the supervisor's own, which nngrade made
 * clean. */
extern char **environ;

static void
die(const char *what, int err)
{
  fprintf(stderr, "nngrade-supervise: cannot %s: %s\n", what, strerror(err));
  _exit(126);
}

/* System calls the probe may make as it likes. */
static const char *const allowed[] = {
  /* memory */
  "brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
  /* files, in the folders the sandbox shows */
  "read", "write", "readv", "writev", "pread64", "pwrite64", "lseek", "close",
  "open", "openat", "creat", "fstat", "stat", "lstat", "newfstatat", "statx",
  "statfs", "fstatfs", "access", "faccessat", "faccessat2", "readlink",
  "readlinkat", "getdents64", "getcwd", "chdir", "fchdir", "mkdir", "mkdirat",
  "unlink", "unlinkat", "rename", "renameat", "renameat2", "rmdir", "truncate",
  "ftruncate", "fsync", "fdatasync", "fcntl", "dup", "dup2", "dup3", "pipe",
  "pipe2", "umask", "chmod", "fchmod", "fchmodat", "flock", "fadvise64",
  "poll", "ppoll", "select", "pselect6",
  /* the process itself */
  "execve", "exit", "exit_group", "getpid", "gettid", "getppid", "getuid",
  "geteuid", "getgid", "getegid", "getgroups", "getresuid", "getresgid",
  "getpgrp", "getpgid", "getsid", "getrlimit", "getrusage", "times", "uname",
  "sysinfo", "sched_getaffinity", "sched_yield", "sched_getparam",
  "sched_getscheduler", "getpriority", "set_tid_address", "set_robust_list",
  "rseq", "arch_prctl", "futex", "getrandom", "capget",
  /* time */
  "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep",
  "gettimeofday", "time", "alarm", "getitimer", "setitimer", "pause",
  /* signals, to itself */
  "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend",
  "rt_sigpending", "rt_sigtimedwait", "sigaltstack", "restart_syscall",
};

/* Add ACTION for the system call NAME (unknown here: nothing to do). */
static void
rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n_args,
     const struct scmp_arg_cmp *args)
{
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR)
    return;
  int r = seccomp_rule_add_array(ctx, action, nr, n_args, args);
  if (r != 0)
    die("build the system-call filter", -r);
}

/* Load the filter for this process (SELF: its pid), to hold across exec. */
static void
load_filter(pid_t self)
{
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (ctx == NULL)
    die("start the system-call filter", ENOMEM);
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
    rule(ctx, SCMP_ACT_ALLOW, allowed[i], 0, NULL);
  /* limits may be read, never set */
  struct scmp_arg_cmp get_only = SCMP_A2(SCMP_CMP_EQ, 0);
  rule(ctx, SCMP_ACT_ALLOW, "prlimit64", 1, &get_only);
  /* signals to itself only: raise(), abort(), a timer's SIGALRM */
  struct scmp_arg_cmp to_self = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t) self);
  rule(ctx, SCMP_ACT_ALLOW, "kill", 1, &to_self);
  rule(ctx, SCMP_ACT_ALLOW, "tgkill", 1, &to_self);
  rule(ctx, SCMP_ACT_ALLOW, "tkill", 1, &to_self);
  /* the answers a program expects where there is nothing for it */
  rule(ctx, SCMP_ACT_ERRNO(EAGAIN), "clone", 0, NULL);
  rule(ctx, SCMP_ACT_ERRNO(EAGAIN), "fork", 0, NULL);
  rule(ctx, SCMP_ACT_ERRNO(EAGAIN), "vfork", 0, NULL);
  rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
  rule(ctx, SCMP_ACT_ERRNO(ENOTTY), "ioctl", 0, NULL);
  int r = seccomp_load(ctx);
  seccomp_release(ctx);
  if (r != 0)
    die("load the system-call filter", -r);
}

int
main(int argc, char **argv)
{
  char *end = NULL;
  long report = argc == 3 ? strtol(argv[1], &end, 10) : -1;
  if (argc != 3 || end == argv[1] || *end != '\0' || report < 0) {
    fprintf(stderr, "usage: nngrade-supervise REPORT_FD PROGRAM\n");
    return 2;
  }
  /* the report is for nngrade only, never for the probe */
  if (fcntl((int) report, F_SETFD, FD_CLOEXEC) != 0)
    report = -1;
  pid_t parent = getpid();
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0)
    die("start the probe", errno);
  if (pid == 0) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_NPROC, &none) != 0)
      die("forbid new processes", errno);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != parent)  /* the supervisor is already gone */
      _exit(126);
    load_filter(getpid());
    char *const args[] = {argv[2], NULL};
    execve(argv[2], args, environ);
    die("run the probe", errno);
  }

  /* The probe's files are its own: closed here, so that nngrade sees the
   * end of its reply pipe when the probe closes it. */
  for (int fd = 3; fd < 64; fd++)
    if (fd != (int) report)
      close(fd);

  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  while (wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR)
      die("wait for the probe", errno);
  if (report >= 0) {
    char line[256];
    int n = snprintf(line, sizeof line, "nngrade-supervise: status %d utime_us %lld "
                     "stime_us %lld maxrss_kib %ld\n", status,
                     (long long) ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
                     (long long) ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec,
                     ru.ru_maxrss);
    ssize_t w = write((int) report, line, (size_t) n);
    (void) w;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
