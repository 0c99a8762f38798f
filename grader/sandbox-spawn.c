/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-spawn.c: starting a run: in the child between fork and exec, what every sandbox shares (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

/* ===== In the child, between fork and exec =====
 * Only async-signal-safe calls here: everything else is prepared before. */

/* clone(FLAGS) without a new stack: a fork, in new namespaces if asked. */
pid_t
raw_fork(unsigned long flags)
{
#if defined(__s390__) || defined(__CRIS__)
  return (pid_t) syscall(SYS_clone, 0UL, flags, NULL, NULL, NULL);
#else
  return (pid_t) syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
#endif
}

void
child_say(const char *what)
{
  static const char head[] = "nngrade sandbox: cannot ";
  ssize_t r = write(2, head, sizeof head - 1);
  r = write(2, what, strlen(what));
  r = write(2, "\n", 1);
  (void) r;
}

_Noreturn void
child_die(const char *what)
{
  child_say(what);
  _exit(126);
}

void
close_from(int first)
{
#ifdef SYS_close_range
  if (syscall(SYS_close_range, (unsigned) first, ~0U, 0) == 0)
    return;
#endif
  for (int fd = first; fd < 65536; fd++)
    close(fd);
}

static void
child_limit(int resource, rlim_t value)
{
  struct rlimit r = {value, value};
  setrlimit(resource, &r);
}

/* A session of its own, the standard files, the limits. */
static void
child_common(const plan *pl, int in_fd, int reply_fd, int out_fd, int report_fd)
{
  setsid();
  /* Move the pipe ends above the targets first, so that no dup2 below
   * overwrites one still needed. */
  int hi_in = in_fd >= 0 ? fcntl(in_fd, F_DUPFD, 20) : -1;
  int hi_reply = reply_fd >= 0 ? fcntl(reply_fd, F_DUPFD, 20) : -1;
  int hi_report = report_fd >= 0 ? fcntl(report_fd, F_DUPFD, 20) : -1;
  int hi_out = fcntl(out_fd, F_DUPFD, 20);
  int null_fd = open("/dev/null", O_RDONLY);
  if (hi_out < 0 || null_fd < 0)
    _exit(126);
  dup2(null_fd, 0);
  dup2(hi_out, 1);
  dup2(hi_out, 2);
  if (hi_in >= 0)
    dup2(hi_in, NNG_PROBE_IN);
  if (hi_reply >= 0)
    dup2(hi_reply, NNG_PROBE_OUT);
  if (hi_report >= 0)
    dup2(hi_report, REPORT_FD);
  close_from(hi_report >= 0 ? REPORT_FD + 1 : hi_in >= 0 ? NNG_PROBE_OUT + 1 : 3);
  if (hi_report >= 0 && hi_in < 0) {  /* a box: its probes' pipes come later */
    close(NNG_PROBE_IN);
    close(NNG_PROBE_OUT);
  }

  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  umask(022);

  const nng_limits *lim = pl->lim;
  rlim_t cpu = (rlim_t) ceil(lim->cpu_seconds);
  struct rlimit r = {cpu, cpu + 1};  /* SIGXCPU at the soft limit, SIGKILL a second later */
  setrlimit(RLIMIT_CPU, &r);
  child_limit(RLIMIT_AS, (rlim_t) lim->memory_bytes);
  child_limit(RLIMIT_FSIZE, (rlim_t) lim->file_bytes);
  child_limit(RLIMIT_CORE, 0);
  child_limit(RLIMIT_NOFILE, 64);
}

/* Become the sandbox user (when root), then no new privileges, death with
 * nngrade. (A probe's supervisor forbids the probe processes of its own.) */
void
child_drop(void)
{
  if (nng_sb.root) {
    /* raw system calls: this one thread only, no glibc state involved */
    if (syscall(SYS_setgroups, 0, NULL) != 0
        || syscall(SYS_setresgid, nng_sb.gid, nng_sb.gid, nng_sb.gid) != 0
        || syscall(SYS_setresuid, nng_sb.uid, nng_sb.uid, nng_sb.uid) != 0)
      child_die("become the sandbox user");
    if (syscall(SYS_setresuid, 0, 0, 0) == 0)
      child_die("drop root for good");
  }
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

/* Run the command; a probe under its supervisor, which runs the program
 * PROGRAM (SUP_FD: the supervisor, opened beforehand; -1: by its path). */
_Noreturn void
child_exec(const plan *pl, int sup_fd, const char *program)
{
  if (pl->probe) {
    char report[] = {'0' + REPORT_FD, '\0'};
    char *const one[] = {nng_sb.supervisor, report, (char *) program, NULL};
    char *const serve[] = {nng_sb.supervisor, "--serve", report, (char *) program, NULL};
    char *const *argv = pl->serve ? serve : one;
    if (sup_fd >= 0)
      syscall(SYS_execveat, sup_fd, "", argv, clean_env, AT_EMPTY_PATH);
    else
      execve(nng_sb.supervisor, argv, clean_env);
  } else {
    execvpe(pl->argv[0], pl->argv, clean_env);
  }
  _exit(127);
}

static _Noreturn void
child_main(const plan *pl, int in_fd, int reply_fd, int out_fd, int report_fd)
{
  child_common(pl, in_fd, reply_fd, out_fd, report_fd);
  if (pl->trusted) {
    if (pl->dir != NULL && chdir(pl->dir) != 0)
      _exit(126);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    child_exec(pl, -1, NULL);
  }
  switch (pl->kind) {
  case NNG_SANDBOX_BWRAP:
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    execve(pl->bwrap[0], pl->bwrap, clean_env);
    _exit(127);
  case NNG_SANDBOX_NAMESPACES:
    child_namespaces(pl);
  case NNG_SANDBOX_USER:
  case NNG_SANDBOX_NONE:
  default: {
    int sup_fd = -1;
    if (pl->probe)
      child_open_programs(pl, &sup_fd);
    else
      child_open_paths(pl);
    if (chdir(pl->dir) != 0)
      child_die("enter the working folder");
    child_drop();
    child_exec(pl, sup_fd, PROGRAM_FD_PATH);
  }
  }
}

/* ===== Preparing a run, in nngrade ===== */

void
sv_add(strvec *s, const char *w)
{
  if (s->bad)
    return;
  if (s->n + 2 > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    char **v = realloc(s->v, cap * sizeof *v);
    if (v == NULL) {
      s->bad = 1;
      return;
    }
    s->v = v;
    s->cap = cap;
  }
  if ((s->v[s->n] = strdup(w)) == NULL) {
    s->bad = 1;
    return;
  }
  s->v[++s->n] = NULL;
}

void
sv_free(char **v)
{
  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    free(v[i]);
  free(v);
}

/* The path an argument of a tool names: "/x", "-I/x" or "-L/x"; else NULL. */
const char *
named_path(const char *arg)
{
  if (arg[0] == '/')
    return arg;
  if ((strncmp(arg, "-I", 2) == 0 || strncmp(arg, "-L", 2) == 0) && arg[2] == '/')
    return arg + 2;
  return NULL;
}

/* 1 when every run can see PATH anyway: the system's programs and libraries. */
int
system_path(const char *path)
{
  return path_under(path, "/usr") && !path_under(path, "/usr/local");
}

/* Start PL with the given pipe ends; the pid, or -1 with errno. */
pid_t
spawn(plan *pl, int in_fd, int reply_fd, int out_fd, int report_fd)
{
  if (pl->probe && nng_sb.supervisor[0] == '\0') {
    errno = ENOENT;
    return -1;
  }
  char **bw = NULL, **argv = NULL, *const *given = pl->argv;
  if (!pl->trusted && pl->kind == NNG_SANDBOX_BWRAP) {
    if ((bw = bwrap_command(pl)) == NULL) {
      errno = ENOMEM;
      return -1;
    }
    pl->bwrap = bw;
  } else if (!pl->trusted && !pl->probe) {
    if ((argv = fd_command(pl)) == NULL) {
      errno = ENOMEM;
      return -1;
    }
    pl->argv = argv;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid;
  if (!pl->trusted && pl->kind == NNG_SANDBOX_NAMESPACES) {
    pid = raw_fork(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS
                   | SIGCHLD);
  } else {
    pid = fork();
  }
  if (pid == 0)
    child_main(pl, in_fd, reply_fd, out_fd, report_fd);
  int saved = errno;
  sv_free(bw);
  sv_free(argv);
  pl->bwrap = NULL;
  pl->argv = given;
  errno = saved;
  return pid;
}

void
plan_init(plan *pl, nng_sandbox_kind kind, int trusted, const nng_limits *lim,
          const char *dir)
{
  memset(pl, 0, sizeof *pl);
  pl->kind = kind;
  pl->trusted = trusted;
  pl->lim = lim;
  pl->dir = dir;
}
