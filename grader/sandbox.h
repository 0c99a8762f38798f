/* sandbox.h: running untrusted programs under limits.
 *
 * Two kinds of runs:
 *
 * - A probe (probe.h): started once per test, it answers requests until the
 *   test ends. nngrade talks to it through two pipes and drains what it
 *   prints through a third, so the probe can neither block nngrade nor flood
 *   it. The verdict never depends on what it prints.
 * - A tool (the compiler): run to completion, its output captured.
 *
 * Every run gets its own process group, a working folder, an empty
 * environment but PATH, no standard input, and resource limits: CPU time
 * (SIGXCPU, then SIGKILL), address space (malloc fails beyond it), size of
 * any file it writes (SIGXFSZ), no core files, few open files. nngrade adds a
 * wall-clock limit of its own and kills the whole process group at the end of
 * every run, so nothing the student started outlives its test.
 *
 * Legal call order for a probe:
 *
 *   nng_probe_start(&p, program, dir, &limits);
 *   nng_probe_call(&p, &request, &reply);   any number, within the wall time
 *   nng_probe_stop(&p);                     always, even after a failure
 */
#ifndef NNG_SANDBOX_H
#define NNG_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include "proto.h"

typedef struct nng_limits {
  double cpu_seconds;     /* CPU time of one run */
  double wall_seconds;    /* wall-clock time of one run */
  size_t memory_bytes;    /* address space */
  size_t file_bytes;      /* largest file it may write */
  size_t output_keep;     /* bytes of its output kept for the feedback */
  size_t output_max;      /* bytes of output after which it is stopped */
} nng_limits;

/* The limits for one test: 2 s CPU, 5 s wall, 512 MiB, 1 MiB files,
 * 2 KiB of output kept, stopped past 1 MiB. */
void nng_limits_for_test(nng_limits *lim);

/* The limits for the compiler: 60 s CPU and wall, 2 GiB, 64 MiB files. */
void nng_limits_for_compiler(nng_limits *lim);

typedef struct nng_probe {
  pid_t pid;              /* the probe, leader of its process group; 0 when none */
  int to_fd;              /* requests, to the probe's NNG_PROBE_IN */
  int from_fd;            /* replies, from the probe's NNG_PROBE_OUT */
  int out_fd;             /* its stdout and stderr */
  double deadline;        /* wall-clock time (monotonic seconds) it must be done by */
  nng_limits limits;
  unsigned char *inbuf;   /* reply bytes received and not yet parsed */
  size_t inlen, incap;
  char *output;           /* the first limits.output_keep bytes it printed, NUL-terminated */
  size_t output_len;      /* bytes kept */
  size_t output_total;    /* bytes printed in all */
  int failed;             /* 1 once it died, hung or misbehaved */
  char reason[256];       /* why, in words for the student */
} nng_probe;

/* Start PROGRAM in folder DIR. 0 on success; -1 (with p->reason) when it
 * could not be started. */
int nng_probe_start(nng_probe *p, const char *program, const char *dir,
                    const nng_limits *lim);

/* Send REQ and wait for the reply into REP. 0 on success; -1 when the probe
 * died, hung, printed too much or replied with garbage: p->reason says which. */
int nng_probe_call(nng_probe *p, const nng_msg *req, nng_msg *rep);

/* Kill the probe's process group and reap it; free what p holds. */
void nng_probe_stop(nng_probe *p);

/* Run ARGV[0] (a path, or a name looked up in PATH) in DIR under LIM until it
 * ends; *output receives what it printed (stdout and stderr, at most
 * lim->output_keep bytes; the caller frees it). Returns 0 when it exited with
 * status 0, 1 when it failed (reason says how), -1 when it could not run. */
int nng_run_tool(char *const argv[], const char *dir, const nng_limits *lim,
                 char **output, char *reason, size_t reason_size);

/* Seconds on the monotonic clock. */
double nng_now(void);

#endif /* NNG_SANDBOX_H */
