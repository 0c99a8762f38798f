/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-run.c: reading what a run prints, explaining its end, its wall-clock time, and tools (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

/* ===== Reading what a run prints ===== */

void
keep_output(nng_probe *p, const char *buf, size_t n)
{
  p->output_total += n;
  size_t room = p->limits.output_keep - p->output_len;
  size_t take = n < room ? n : room;
  memcpy(p->output + p->output_len, buf, take);
  p->output_len += take;
  p->output[p->output_len] = '\0';
}

/* Read what is available on out_fd; -1 on end of file. */
int
drain_output(nng_probe *p)
{
  char buf[4096];
  ssize_t r = read(p->out_fd, buf, sizeof buf);
  if (r < 0)
    return errno == EINTR || errno == EAGAIN ? 0 : -1;
  if (r == 0)
    return -1;
  keep_output(p, buf, (size_t) r);
  return 0;
}

static const char *
describe_signal(int sig)
{
  switch (sig) {
  case SIGSEGV:
    return "crashed with a segmentation fault (SIGSEGV): a read or write outside "
           "its memory, such as an index out of range or a NULL pointer, or a "
           "recursion too deep for the stack";
  case SIGBUS:
    return "crashed with a bus error (SIGBUS): a bad memory access";
  case SIGFPE:
    return "crashed with an arithmetic error (SIGFPE), such as an integer "
           "division by zero";
  case SIGABRT:
    return "aborted (SIGABRT): abort() or a failed assert()";
  case SIGILL:
    return "crashed with an illegal instruction (SIGILL)";
  default:
    return NULL;
  }
}

/* Put into p->reason why the probe ended with wait status STATUS and
 * resource usage RU (NULL: unknown), as its supervisor measured them, or as
 * nngrade saw them (INIT: the process reaped was an init that passes a
 * death by signal N on as exit status 128 + N). */
void
explain_end(nng_probe *p, int status, const struct rusage *ru, int init)
{
  double cpu = ru ? (double) ru->ru_utime.tv_sec + 1e-6 * (double) ru->ru_utime.tv_usec
                        + (double) ru->ru_stime.tv_sec + 1e-6 * (double) ru->ru_stime.tv_usec
                  : 0.0;
  double mib = ru ? (double) ru->ru_maxrss / 1024.0 : 0.0;
  int exited = WIFEXITED(status), code = exited ? WEXITSTATUS(status) : 0;
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (init && exited && code > 128 && code < 128 + 65) {
    sig = code - 128;  /* an init passes a death by signal on as 128 + signal */
    exited = 0;
  }
  if (exited) {
    snprintf(p->reason, sizeof p->reason,
             "ended (exit status %d) before it answered: something in your "
             "code called exit()", code);
  } else if (sig != 0) {
    const char *what = describe_signal(sig);
    if (sig == SIGXCPU || (sig == SIGKILL && cpu >= p->limits.cpu_seconds - 0.05))
      snprintf(p->reason, sizeof p->reason,
               "used more than %g s of CPU time (an endless loop?)",
               p->limits.cpu_seconds);
    else if (sig == SIGXFSZ)
      snprintf(p->reason, sizeof p->reason, "wrote a file larger than the limit of "
               "%g MiB (SIGXFSZ)", (double) p->limits.file_bytes / (1 << 20));
    else if (what != NULL && ru != NULL)
      snprintf(p->reason, sizeof p->reason, "%s (peak memory %.0f MiB of %zu MiB)",
               what, mib, p->limits.memory_bytes >> 20);
    else if (what != NULL)
      snprintf(p->reason, sizeof p->reason, "%s", what);
    else if (sig == SIGKILL)
      snprintf(p->reason, sizeof p->reason, "was killed (SIGKILL) before it answered: by "
               "itself, or by the system for want of memory");
    else
      snprintf(p->reason, sizeof p->reason, "was killed by signal %d (%s)", sig,
               strsignal(sig));
  } else {
    snprintf(p->reason, sizeof p->reason, "stopped in an unknown way");
  }
}

/* ===== Wall-clock time, whatever the load =====
 * The wall-clock limit stops a run that waits for something that never
 * comes; the CPU limit stops one that computes too long. On a loaded
 * machine a run also waits for a CPU, which says nothing about the run: so
 * the time the run's processes waited in the scheduler's queue (the second
 * field of /proc/PID/schedstat, in nanoseconds) does not count against its
 * wall-clock limit. A run is stopped when, past its deadline, that time no
 * longer moves its deadline on; a run waits this way at most MAX_STRETCH
 * times its limits, however loaded the machine. Without schedstat (a
 * kernel without CONFIG_SCHED_INFO), the plain wall-clock limit holds.
 * A probe runs in the process group of its box's sandbox, whose processes
 * (bubblewrap, the supervisor) outlive it: only the processes that started
 * with the probe or after it count (the start time in /proc/PID/stat, in
 * clock ticks since boot). */

#define MAX_STRETCH 20.0

/* Now, in clock ticks since boot: the unit and clock of a process's start
 * time in /proc/PID/stat. */
unsigned long long
ticks_since_boot(void)
{
  struct timespec t;
  long hz = sysconf(_SC_CLK_TCK);
  if (clock_gettime(CLOCK_BOOTTIME, &t) != 0 || hz <= 0)
    return 0;
  return (unsigned long long) t.tv_sec * (unsigned long long) hz
         + (unsigned long long) t.tv_nsec / (1000000000ULL / (unsigned long long) hz);
}

/* Seconds the live processes of the process group PGID that started at
 * SINCE (clock ticks since boot) or later have waited for a CPU. */
static double
group_run_delay(pid_t pgid, unsigned long long since)
{
  DIR *d = opendir("/proc");
  if (d == NULL)
    return 0.0;
  double delay = 0.0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char *end, path[64], buf[512];
    long pid = strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0')
      continue;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
      continue;
    buf[n] = '\0';
    /* "pid (comm) state ppid pgrp ...": comm may hold anything but ends at
     * the last ')' */
    char *close_paren = strrchr(buf, ')');
    char state;
    long ppid, pgrp;
    unsigned long long start;
    /* fields 3 to 5, then 22: the start time */
    if (close_paren == NULL
        || sscanf(close_paren + 1, " %c %ld %ld %*s %*s %*s %*s %*s %*s %*s %*s %*s "
                  "%*s %*s %*s %*s %*s %*s %*s %*s %llu", &state, &ppid, &pgrp, &start) != 4
        || pgrp != (long) pgid || start < since)
      continue;
    snprintf(path, sizeof path, "/proc/%ld/schedstat", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      continue;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unsigned long long on_cpu, waited;
    buf[n > 0 ? n : 0] = '\0';
    if (sscanf(buf, "%llu %llu", &on_cpu, &waited) == 2)
      delay += 1e-9 * (double) waited;
  }
  closedir(d);
  return delay;
}

/* A run of process group PGID, started at STARTED (and SINCE, in clock ticks
 * since boot; 0: all of the group) under LIM, is at its deadline *DEADLINE:
 * move it on by the time the run waited for a CPU. 1 when the run's time is
 * really up. */
int
time_is_up(pid_t pgid, unsigned long long since, double started, const nng_limits *lim,
           double *deadline)
{
  double waited = group_run_delay(pgid, since);
  double most = MAX_STRETCH * (lim->wall_seconds + lim->cpu_seconds);
  double later = started + lim->wall_seconds + (waited < most ? waited : most);
  if (later > *deadline + 0.001) {
    *deadline = later;
    return 0;
  }
  return 1;
}

/* ===== Tools ===== */

int
run_plan(plan *pl, char **output, char *reason, size_t reason_size)
{
  const nng_limits *lim = pl->lim;
  nng_probe p;
  memset(&p, 0, sizeof p);
  p.limits = *lim;
  p.to_fd = p.from_fd = p.report_fd = -1;
  p.via_init = pl->trusted ? 0 : pl->kind == NNG_SANDBOX_BWRAP ? 2
                                : pl->kind == NNG_SANDBOX_NAMESPACES;
  *output = NULL;
  reason[0] = '\0';
  p.output = calloc(1, lim->output_keep + 1);
  if (p.output == NULL) {
    snprintf(reason, reason_size, "out of memory");
    return -1;
  }
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    snprintf(reason, reason_size, "could not create a pipe: %s", strerror(errno));
    free(p.output);
    return -1;
  }
  pid_t pid = spawn(pl, -1, -1, out[1], -1);
  int saved = errno;
  close(out[1]);
  p.out_fd = out[0];
  if (pid < 0) {
    snprintf(reason, reason_size, "could not start %s: %s", pl->argv[0],
             strerror(saved));
    close(p.out_fd);
    free(p.output);
    return -1;
  }
  p.pid = pid;
  p.started = nng_now();
  p.deadline = p.started + lim->wall_seconds;
  int timed_out = 0;
  fcntl(p.out_fd, F_SETFL, O_NONBLOCK);
  while (p.out_fd >= 0) {
    double left = p.deadline - nng_now();
    if (left <= 0 && !time_is_up(pid, 0, p.started, lim, &p.deadline))
      continue;
    if (left <= 0) {
      timed_out = 1;
      break;
    }
    struct pollfd fd = {p.out_fd, POLLIN, 0};
    if (poll(&fd, 1, (int) ceil(left * 1000.0)) > 0 && drain_output(&p) < 0)
      break;
  }
  int status = 0;
  struct rusage ru;
  if (timed_out) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
  }
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  kill(-pid, SIGKILL);
  close(p.out_fd);
  *output = p.output;
  if (timed_out) {
    snprintf(reason, reason_size, "took longer than %g s", lim->wall_seconds);
    return 1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    snprintf(reason, reason_size, "could not run %s", pl->argv[0]);
    return -1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  p.failed = 1;
  explain_end(&p, status, p.via_init ? NULL : &ru, p.via_init);
  if (strncmp(p.reason, "ended (exit status", 18) == 0)  /* a tool is not asked */
    snprintf(p.reason, sizeof p.reason, "failed (exit status %d)",
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  snprintf(reason, reason_size, "%s", p.reason);
  return 1;
}

int
nng_run_tool(char *const argv[], const char *dir, const nng_limits *lim,
             char **output, char *reason, size_t reason_size)
{
  plan pl;
  plan_init(&pl, NNG_SANDBOX_NONE, 1, lim, dir);
  pl.argv = argv;
  return run_plan(&pl, output, reason, reason_size);
}

int
nng_run_sandboxed_tool(char *const argv[], const char *dir, const nng_limits *lim,
                       char **output, char *reason, size_t reason_size)
{
  plan pl;
  plan_init(&pl, nng_sandbox_init(), 0, lim, dir);
  pl.argv = argv;
  return run_plan(&pl, output, reason, reason_size);
}
