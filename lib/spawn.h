/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spawn.h: running the programs that render figures (internal, not installed).
 *
 * The library writes figures as text (gnuplot scripts, Graphviz .dot files)
 * and asks an external program to draw them: gnuplot for nn/plot.h, dot for
 * nn/graph.h. This header is the one place that knows how to find those
 * programs and how to run them:
 *
 *   which program   the environment variable (NN_GNUPLOT, NN_DOT) when it is
 *                   set and not empty, else the path configure found;
 *   how             fork and exec with an argument vector, never a shell (so
 *                   no file name is ever re-parsed), in a given folder, with
 *                   standard input from /dev/null (a program that waits for
 *                   a key press reads end-of-file instead of hanging);
 *   what it said    standard output captured into a string (at most
 *                   NN_SPAWN_OUTPUT_MAX bytes), standard error kept (at most
 *                   NN_SPAWN_ERROR_MAX bytes) for the error message;
 *   what went wrong GSL_EUNSUP when the program is missing (the message says
 *                   which Debian package installs it), GSL_EFAILED when it
 *                   ran and failed (exit status and the first lines of its
 *                   standard error).
 *
 * The two writers also share their rule for file names, so it lives here too.
 */
#ifndef NN_SPAWN_H
#define NN_SPAWN_H

#include <stddef.h>

/* Internal symbols of the shared library: callable from its own modules,
 * invisible to programs that link it. */
#define NN_INTERNAL __attribute__((visibility("hidden")))

/* At most this much standard output is kept; a program that writes more
 * fails with GSL_EFAILED (a 4 MiB text plot is a runaway, not a plot). */
#define NN_SPAWN_OUTPUT_MAX ((size_t) 4 << 20)

/* At most this much standard error is kept, for the error message. */
#define NN_SPAWN_ERROR_MAX ((size_t) 4096)

/* An external program the library can run. */
typedef struct nn_spawn_program {
  const char *name;        /* what users call it: "gnuplot" */
  const char *env;         /* variable that overrides the path: "NN_GNUPLOT" */
  const char *configured;  /* the path configure found (or the bare name) */
  const char *package;     /* the Debian package that installs it */
} nn_spawn_program;

/* The program as it will be run: $env when set and not empty, else the
 * configured path. Points into the environment or a constant: do not free. */
NN_INTERNAL const char *nn_spawn_path(const nn_spawn_program *prog);

/* 1 when the program can be run: a path containing '/' that names an
 * executable regular file, or a bare name found executable on PATH. */
NN_INTERNAL int nn_spawn_available(const nn_spawn_program *prog);

/* Run prog with the arguments args (NULL-terminated, the program itself not
 * included) in the folder dir (NULL: the current folder).
 *
 * who names the caller and subject the file being processed, both for error
 * messages ("nn_plot_render", "out/loss.gp"). When out is not NULL it
 * receives the program's standard output, NUL-terminated and malloc'd (the
 * caller frees it), or NULL on failure. Returns GSL_SUCCESS when the program
 * exited with status 0, GSL_EUNSUP when it cannot be run, GSL_EFAILED when it
 * failed, GSL_ENOMEM; every error goes through GSL_ERROR. */
NN_INTERNAL int nn_spawn_run(const char *who, const nn_spawn_program *prog,
                             const char *dir, const char *subject,
                             const char *const args[], char **out);

/* ===== A program that keeps running =====
 *
 * Drawing many figures with one gnuplot saves its start-up for every figure
 * but the first. nn_spawn_start() runs prog with pipes on its standard
 * input, output and error, and returns at once; the caller writes commands
 * to in, reads out and err (both close-on-exec, so other programs started
 * later do not hold them), and ends it with nn_spawn_stop(). */
typedef struct nn_spawn_process {
  int pid;  /* the running program */
  int in;   /* write end of its standard input */
  int out;  /* read end of its standard output */
  int err;  /* read end of its standard error */
} nn_spawn_process;

/* Start prog in the current folder. GSL_SUCCESS, GSL_EUNSUP when it cannot
 * be run (the message names its Debian package; subject is what was not
 * rendered), GSL_EFAILED when the pipes or fork() fail; errors go through
 * GSL_ERROR, and proc is then all -1. */
NN_INTERNAL int nn_spawn_start(const char *who, const nn_spawn_program *prog,
                               const char *subject, nn_spawn_process *proc);

/* Close its standard input (a program that reads commands ends there),
 * close the other pipes and wait for it. Returns its wait status, or -1
 * when proc was not running. proc is all -1 afterwards. */
NN_INTERNAL int nn_spawn_stop(nn_spawn_process *proc);

/* ===== File names shared by the writers ===== */

/* GSL_SUCCESS when name is a plain file stem: not empty, only letters,
 * digits, '-', '_' and '.', not starting with '.' (no folders, no hidden
 * files, nothing a shell or gnuplot would read specially). Otherwise
 * GSL_EINVAL through GSL_ERROR, with who and the name in the message. */
NN_INTERNAL int nn_spawn_check_stem(const char *who, const char *name);

/* "DIR/STEM.EXT", malloc'd (the caller frees it); NULL when out of memory.
 * Trailing '/' of dir are dropped, so "out/" and "out" give the same path. */
NN_INTERNAL char *nn_spawn_file_path(const char *dir, const char *stem,
                                     const char *ext);

#endif /* NN_SPAWN_H */
