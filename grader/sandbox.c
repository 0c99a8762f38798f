/* sandbox.c: running untrusted programs under limits (see sandbox.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "probe.h"
#include "sandbox.h"

void
nng_limits_for_test(nng_limits *lim)
{
  lim->cpu_seconds = 2.0;
  lim->wall_seconds = 5.0;
  lim->memory_bytes = (size_t) 512 << 20;
  lim->file_bytes = (size_t) 1 << 20;
  lim->output_keep = 2048;
  lim->output_max = (size_t) 1 << 20;
}

void
nng_limits_for_compiler(nng_limits *lim)
{
  lim->cpu_seconds = 60.0;
  lim->wall_seconds = 60.0;
  lim->memory_bytes = (size_t) 2 << 30;
  lim->file_bytes = (size_t) 64 << 20;
  lim->output_keep = 16384;
  lim->output_max = (size_t) 16 << 20;
}

double
nng_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* ===== In the child, between fork and exec =====
 * Only async-signal-safe calls here: the parent may have threads. */

static void
child_limit(int resource, rlim_t value)
{
  struct rlimit r = {value, value};
  setrlimit(resource, &r);
}

static void
child_setup(const char *dir, const nng_limits *lim, int in_fd, int reply_fd,
            int out_fd)
{
  setpgid(0, 0);
  /* Move the pipe ends above the targets first, so that no dup2 below
   * overwrites one still needed. */
  int hi_in = in_fd >= 0 ? fcntl(in_fd, F_DUPFD, 10) : -1;
  int hi_reply = reply_fd >= 0 ? fcntl(reply_fd, F_DUPFD, 10) : -1;
  int hi_out = fcntl(out_fd, F_DUPFD, 10);
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
  int keep = hi_in >= 0 ? NNG_PROBE_OUT : 2;
  long maxfd = sysconf(_SC_OPEN_MAX);
  if (maxfd < 0 || maxfd > 65536)
    maxfd = 65536;
  for (int fd = keep + 1; fd < maxfd; fd++)
    close(fd);

  rlim_t cpu = (rlim_t) ceil(lim->cpu_seconds);
  struct rlimit r = {cpu, cpu + 1};  /* SIGXCPU at the soft limit, SIGKILL a second later */
  setrlimit(RLIMIT_CPU, &r);
  child_limit(RLIMIT_AS, (rlim_t) lim->memory_bytes);
  child_limit(RLIMIT_FSIZE, (rlim_t) lim->file_bytes);
  child_limit(RLIMIT_CORE, 0);
  child_limit(RLIMIT_NOFILE, 64);
  if (dir != NULL && chdir(dir) != 0)
    _exit(126);
  signal(SIGPIPE, SIG_DFL);
}

static char *const clean_env[] = {
  "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL
};

/* ===== Reading what a run prints ===== */

static void
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
static int
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
           "its memory, such as an index out of range or a NULL pointer";
  case SIGBUS:
    return "crashed with a bus error (SIGBUS): a bad memory access";
  case SIGFPE:
    return "crashed with an arithmetic error (SIGFPE), such as an integer "
           "division by zero";
  case SIGABRT:
    return "aborted (SIGABRT): abort() or a failed assert()";
  case SIGILL:
    return "crashed with an illegal instruction (SIGILL)";
  case SIGXFSZ:
    return "wrote a file larger than the limit (SIGXFSZ)";
  default:
    return NULL;
  }
}

/* Put into p->reason why the probe ended with wait status STATUS. */
static void
explain_end(nng_probe *p, int status, const struct rusage *ru)
{
  double cpu = ru ? (double) ru->ru_utime.tv_sec + 1e-6 * (double) ru->ru_utime.tv_usec
                        + (double) ru->ru_stime.tv_sec + 1e-6 * (double) ru->ru_stime.tv_usec
                  : 0.0;
  double mib = ru ? (double) ru->ru_maxrss / 1024.0 : 0.0;
  if (WIFEXITED(status)) {
    snprintf(p->reason, sizeof p->reason,
             "ended (exit status %d) before it answered: something in your "
             "code called exit()",
             WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char *what = describe_signal(sig);
    if (sig == SIGXCPU || (sig == SIGKILL && cpu >= p->limits.cpu_seconds - 0.05))
      snprintf(p->reason, sizeof p->reason,
               "used more than %g s of CPU time (an endless loop?)",
               p->limits.cpu_seconds);
    else if (what != NULL)
      snprintf(p->reason, sizeof p->reason, "%s (peak memory %.0f MiB of %zu MiB)",
               what, mib, p->limits.memory_bytes >> 20);
    else
      snprintf(p->reason, sizeof p->reason, "was killed by signal %d (%s)", sig,
               strsignal(sig));
  } else {
    snprintf(p->reason, sizeof p->reason, "stopped in an unknown way");
  }
}

/* Kill the process group, reap the leader, explain its end when unexplained. */
static void
kill_and_reap(nng_probe *p)
{
  if (p->pid <= 0)
    return;
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  /* Give a probe that is already ending a moment to do so, for an honest
   * exit status; then kill the group, stray children included. */
  pid_t w = 0;
  for (int i = 0; i < 20 && w == 0; i++) {
    w = wait4(p->pid, &status, WNOHANG, &ru);
    if (w == 0 && p->failed && p->reason[0] == '\0') {
      struct timespec t = {0, 5000000};
      nanosleep(&t, NULL);
    } else if (w == 0) {
      break;
    }
  }
  kill(-p->pid, SIGKILL);
  if (w == 0) {
    while ((w = wait4(p->pid, &status, 0, &ru)) < 0 && errno == EINTR)
      ;
  }
  if (p->failed && p->reason[0] == '\0' && w == p->pid)
    explain_end(p, status, &ru);
  p->pid = 0;
}

static void
fail(nng_probe *p, const char *fmt, const char *arg, double num)
{
  p->failed = 1;
  if (fmt != NULL)
    snprintf(p->reason, sizeof p->reason, fmt, arg ? arg : "", num);
}

/* ===== Probes ===== */

int
nng_probe_start(nng_probe *p, const char *program, const char *dir,
                const nng_limits *lim)
{
  memset(p, 0, sizeof *p);
  p->to_fd = p->from_fd = p->out_fd = -1;
  p->limits = *lim;
  p->output = calloc(1, lim->output_keep + 1);
  if (p->output == NULL) {
    fail(p, "out of memory", NULL, 0);
    return -1;
  }
  int req[2], rep[2], out[2];
  if (pipe2(req, O_CLOEXEC) != 0)
    goto no_pipes;
  if (pipe2(rep, O_CLOEXEC) != 0) {
    close(req[0]);
    close(req[1]);
    goto no_pipes;
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(req[0]);
    close(req[1]);
    close(rep[0]);
    close(rep[1]);
    goto no_pipes;
  }
  pid_t pid = fork();
  if (pid == 0) {
    child_setup(dir, lim, req[0], rep[1], out[1]);
    char *const argv[] = {(char *) program, NULL};
    execve(program, argv, clean_env);
    _exit(127);
  }
  close(req[0]);
  close(rep[1]);
  close(out[1]);
  p->to_fd = req[1];
  p->from_fd = rep[0];
  p->out_fd = out[0];
  if (pid < 0) {
    fail(p, "could not start the probe: %s", strerror(errno), 0);
    return -1;
  }
  setpgid(pid, pid);  /* also in the child: whichever runs first */
  p->pid = pid;
  p->deadline = nng_now() + lim->wall_seconds;
  fcntl(p->to_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->from_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
  return 0;

no_pipes:
  fail(p, "could not create pipes: %s", strerror(errno), 0);
  return -1;
}

int
nng_probe_call(nng_probe *p, const nng_msg *req, nng_msg *rep)
{
  if (p->failed || p->pid <= 0)
    return -1;
  /* The frame to send: header, then payload. */
  uint32_t head[2] = {NNG_MSG_MAGIC, (uint32_t) req->len};
  size_t sent = 0, total = sizeof head + req->len;
  p->inlen = 0;

  for (;;) {
    long used = nng_msg_parse(rep, p->inbuf, p->inlen);
    if (used < 0) {
      fail(p, "the program replied with garbage: something in your code wrote "
              "to the grader's pipe", NULL, 0);
      kill_and_reap(p);
      return -1;
    }
    if (used > 0)
      return 0;

    double left = p->deadline - nng_now();
    if (left <= 0) {
      fail(p, "did not answer within %s%g s of wall-clock time (an endless loop, "
              "or waiting for something?)", "", p->limits.wall_seconds);
      kill_and_reap(p);
      return -1;
    }
    struct pollfd fds[3] = {
      {p->from_fd, POLLIN, 0},
      {p->out_fd, POLLIN, 0},
      {sent < total ? p->to_fd : -1, POLLOUT, 0},
    };
    int n = poll(fds, 3, (int) ceil(left * 1000.0));
    if (n < 0 && errno != EINTR) {
      fail(p, "poll failed: %s", strerror(errno), 0);
      kill_and_reap(p);
      return -1;
    }
    if (n <= 0)
      continue;

    if (fds[1].revents & (POLLIN | POLLHUP)) {
      if (drain_output(p) < 0) {
        close(p->out_fd);
        p->out_fd = -1;
      } else if (p->output_total > p->limits.output_max) {
        fail(p, "printed more than %s%g MiB (an endless loop of printing?)", "",
             (double) (p->limits.output_max >> 20));
        kill_and_reap(p);
        return -1;
      }
    }
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      const unsigned char *src;
      size_t off, len;
      if (sent < sizeof head) {
        src = (const unsigned char *) head + sent;
        len = sizeof head - sent;
      } else {
        off = sent - sizeof head;
        src = req->buf + off;
        len = req->len - off;
      }
      ssize_t w = write(p->to_fd, src, len);
      if (w < 0 && errno != EAGAIN && errno != EINTR) {
        fail(p, NULL, NULL, 0);  /* the probe is gone: explained when reaped */
        kill_and_reap(p);
        return -1;
      }
      if (w > 0)
        sent += (size_t) w;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (p->incap - p->inlen < 65536) {
        size_t cap = p->incap ? 2 * p->incap : 65536;
        if (cap > (size_t) NNG_MSG_MAX + 64) {
          fail(p, "the program replied with more data than any test needs", NULL, 0);
          kill_and_reap(p);
          return -1;
        }
        unsigned char *b = realloc(p->inbuf, cap);
        if (b == NULL) {
          fail(p, "out of memory reading the reply", NULL, 0);
          kill_and_reap(p);
          return -1;
        }
        p->inbuf = b;
        p->incap = cap;
      }
      ssize_t r = read(p->from_fd, p->inbuf + p->inlen, p->incap - p->inlen);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        /* The probe closed its reply pipe: it died or exited. Read the rest
         * of what it printed, then find out how it ended. */
        while (p->out_fd >= 0 && drain_output(p) == 0 && p->output_total <= p->limits.output_max)
          if (nng_now() > p->deadline)
            break;
        fail(p, NULL, NULL, 0);
        kill_and_reap(p);
        return -1;
      }
      if (r > 0)
        p->inlen += (size_t) r;
    }
  }
}

void
nng_probe_stop(nng_probe *p)
{
  if (p->to_fd >= 0)
    close(p->to_fd);
  p->to_fd = -1;
  kill_and_reap(p);
  if (p->from_fd >= 0)
    close(p->from_fd);
  if (p->out_fd >= 0) {
    /* What it printed after the last reply, for the feedback. */
    while (drain_output(p) == 0 && p->output_total <= p->limits.output_max)
      ;
    close(p->out_fd);
  }
  p->from_fd = p->out_fd = -1;
  free(p->inbuf);
  p->inbuf = NULL;
  p->inlen = p->incap = 0;
}

/* ===== Tools ===== */

int
nng_run_tool(char *const argv[], const char *dir, const nng_limits *lim,
             char **output, char *reason, size_t reason_size)
{
  nng_probe p;
  memset(&p, 0, sizeof p);
  p.limits = *lim;
  p.to_fd = p.from_fd = -1;
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
  pid_t pid = fork();
  if (pid == 0) {
    child_setup(dir, lim, -1, -1, out[1]);
    execvpe(argv[0], argv, clean_env);
    _exit(127);
  }
  close(out[1]);
  p.out_fd = out[0];
  if (pid < 0) {
    snprintf(reason, reason_size, "could not start %s: %s", argv[0], strerror(errno));
    close(p.out_fd);
    free(p.output);
    return -1;
  }
  setpgid(pid, pid);
  p.pid = pid;
  double deadline = nng_now() + lim->wall_seconds;
  int timed_out = 0;
  fcntl(p.out_fd, F_SETFL, O_NONBLOCK);
  while (p.out_fd >= 0) {
    double left = deadline - nng_now();
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
  if (timed_out)
    kill(-pid, SIGKILL);
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
    snprintf(reason, reason_size, "could not run %s", argv[0]);
    return -1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  p.failed = 1;
  explain_end(&p, status, &ru);
  snprintf(reason, reason_size, "%s", p.reason);
  return 1;
}
