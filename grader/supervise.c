/* SPDX-License-Identifier: GPL-3.0-or-later */
/* supervise.c: nngrade-supervise, the supervisor of probes in their sandbox.
 *
 *   nngrade-supervise REPORT_FD PROGRAM
 *   nngrade-supervise --serve CONTROL_FD PROGRAM
 *
 * nngrade starts it in the probes' sandbox (under bubblewrap, in namespaces
 * of nngrade's own, or as the sandbox user), with the probes' limits and
 * working folder. It starts PROGRAM (a path, or /proc/self/fd/N) as its
 * only child, once (the first form: with the probe's pipes already in
 * place), or once per test (--serve: the sandbox of an exercise is made
 * once, and every test still gets a fresh process). For every probe:
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
 *   terminal here). The other limits (CPU time, address space, file size,
 *   open files) are the supervisor's own, which a new process inherits
 *   with none of them used;
 * - when the probe ends, it writes on REPORT_FD (or CONTROL_FD) one line,
 *   read by nngrade (sandbox-probe.c, take_report):
 *
 *     nngrade-supervise: status S utime_us U stime_us T maxrss_kib M
 *
 *   S the wait status, U and T the user and system CPU time in
 *   microseconds, M the peak resident memory in KiB, all of the probe
 *   itself, measured where it ran: under bubblewrap, nngrade's own
 *   wait4() sees only bwrap.
 *
 * The first form then ends as the probe did (a signal N as exit status
 * 128 + N). With --serve, CONTROL_FD is a socket (SOCK_SEQPACKET) on which
 * nngrade sends, one message each:
 *
 *   "run"   with three file descriptors (SCM_RIGHTS): the probe's requests
 *           (its NNG_PROBE_IN, 3), its replies (NNG_PROBE_OUT, 4) and its
 *           output (stdout and stderr): start a probe with them; the
 *           supervisor keeps none of them open, so that nngrade sees the end
 *           of a pipe when the probe closes it or dies;
 *   "kill"  kill the probe (SIGKILL); its report follows;
 *
 * and the end of the socket: kill the probe, if any, and end (status 0).
 * One report follows every "run", when that probe has ended and been
 * reaped; nngrade sends the next "run" only after it.
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
#include <poll.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <seccomp.h>

/* The environment the probe gets: the supervisor's own, which nngrade made
 * clean. */
extern char **environ;

static _Noreturn void
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

/* In the child, before the probe runs: no process of its own, death with
 * the supervisor PARENT, the system-call filter; then PROGRAM. */
static _Noreturn void
exec_probe(pid_t parent, const char *program)
{
  struct rlimit none = {0, 0};
  if (setrlimit(RLIMIT_NPROC, &none) != 0)
    die("forbid new processes", errno);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (getppid() != parent)  /* the supervisor is already gone */
    _exit(126);
  load_filter(getpid());
  char *const args[] = {(char *) program, NULL};
  execve(program, args, environ);
  die("run the probe", errno);
}

/* Write the report of a probe that ended with STATUS and RU on FD. */
static void
write_report(int fd, int status, const struct rusage *ru)
{
  char line[256];
  int n = snprintf(line, sizeof line, "nngrade-supervise: status %d utime_us %lld "
                   "stime_us %lld maxrss_kib %ld\n", status,
                   (long long) ru->ru_utime.tv_sec * 1000000LL + ru->ru_utime.tv_usec,
                   (long long) ru->ru_stime.tv_sec * 1000000LL + ru->ru_stime.tv_usec,
                   ru->ru_maxrss);
  ssize_t w = write(fd, line, (size_t) n);
  (void) w;
}

/* Close the files 3 to 63 but KEEP_A and KEEP_B. */
static void
close_others(int keep_a, int keep_b)
{
  for (int fd = 3; fd < 64; fd++)
    if (fd != keep_a && fd != keep_b)
      close(fd);
}

/* --serve: one probe after another, as nngrade asks on CONTROL (see the
 * top of the file). */
static int
serve(int control, const char *program)
{
  if (fcntl(control, F_SETFD, FD_CLOEXEC) != 0)
    die("keep the control socket from the probes", errno);
  /* the probes' program may be open as /proc/self/fd/N: kept for them */
  int program_fd = -1;
  if (strncmp(program, "/proc/self/fd/", 14) == 0)
    program_fd = atoi(program + 14);
  close_others(control, program_fd);
  pid_t self = getpid();
  for (;;) {
    char word[16];
    union {
      struct cmsghdr align;
      char buf[CMSG_SPACE(3 * sizeof(int))];
    } cmsg;
    struct iovec iov = {word, sizeof word - 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cmsg.buf;
    msg.msg_controllen = sizeof cmsg.buf;
    ssize_t n = recvmsg(control, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return 0;  /* nngrade is done with this sandbox */
    word[n] = '\0';
    int fds[3], n_fds = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t j = 0; j < k; j++) {
          int fd;
          memcpy(&fd, CMSG_DATA(c) + j * sizeof(int), sizeof fd);
          if (n_fds < 3)
            fds[n_fds++] = fd;
          else
            close(fd);
        }
      }
    if (strcmp(word, "run") != 0 || n_fds != 3) {
      for (int j = 0; j < n_fds; j++)
        close(fds[j]);
      continue;  /* "kill" with no probe running: nothing to do */
    }

    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
      /* above the targets first, so that no dup2 overwrites one still needed */
      int in = fcntl(fds[0], F_DUPFD, 20), reply = fcntl(fds[1], F_DUPFD, 20);
      int out = fcntl(fds[2], F_DUPFD, 20);
      if (in < 0 || reply < 0 || out < 0 || dup2(out, 1) != 1 || dup2(out, 2) != 2
          || dup2(in, 3) != 3 || dup2(reply, 4) != 4)
        die("give the probe its pipes", errno);
      close(in);
      close(reply);
      close(out);
      exec_probe(self, program);
    }
    for (int j = 0; j < 3; j++)
      close(fds[j]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    if (pid < 0) {
      status = 126 << 8;  /* as if it had said it could not start */
      write_report(control, status, &ru);
      continue;
    }
    /* Wait for the probe's end, or nngrade's word to kill it. */
    int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
    for (;;) {
      struct pollfd fd[2] = {{control, POLLIN, 0}, {pidfd, POLLIN, 0}};
      int r = poll(fd, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? -1 : 10);
      if (r < 0 && errno != EINTR)
        die("wait for the probe", errno);
      if (r > 0 && (fd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
        char what[16];
        ssize_t k = recv(control, what, sizeof what, 0);
        kill(pid, SIGKILL);  /* "kill", or nngrade is gone */
        if (k <= 0) {
          while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
          return 0;
        }
      }
      pid_t w = wait4(pid, &status, WNOHANG, &ru);
      if (w == pid)
        break;
      if (w < 0 && errno != EINTR)
        die("wait for the probe", errno);
    }
    if (pidfd >= 0)
      close(pidfd);
    write_report(control, status, &ru);
  }
}

int
main(int argc, char **argv)
{
  if (argc == 4 && strcmp(argv[1], "--serve") == 0) {
    char *end = NULL;
    long control = strtol(argv[2], &end, 10);
    if (end != argv[2] && *end == '\0' && control >= 0 && control < 64)
      return serve((int) control, argv[3]);
  }
  char *end = NULL;
  long report = argc == 3 ? strtol(argv[1], &end, 10) : -1;
  if (argc != 3 || end == argv[1] || *end != '\0' || report < 0) {
    fprintf(stderr, "usage: nngrade-supervise REPORT_FD PROGRAM\n"
            "       nngrade-supervise --serve CONTROL_FD PROGRAM\n");
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
  if (pid == 0)
    exec_probe(parent, argv[2]);

  /* The probe's files are its own: closed here, so that nngrade sees the
   * end of its reply pipe when the probe closes it. */
  close_others((int) report, -1);

  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  while (wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR)
      die("wait for the probe", errno);
  if (report >= 0)
    write_report((int) report, status, &ru);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
