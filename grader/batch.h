/* SPDX-License-Identifier: GPL-3.0-or-later */
/* batch.h: grading a class.
 *
 *   nngrade batch SUBMISSIONS --out DIR [-j N] [--hidden TESTS] [--rubric FILE]
 *                 [--roster FILE]
 *
 * SUBMISSIONS holds one entry per student: a folder, a .tar.gz (.tgz) or a
 * .zip, named after the student. Before anyone is graded, the batch checks
 * that the grader itself works (each exercise's stub compiles, links and
 * runs in the sandbox): a broken setup stops it with an error, never a
 * column of zeros. Each student is graded by a worker process
 * of its own, N at a time; the worker unpacks an archive into a private
 * scratch folder, grades every exercise (each compiled on its own) and writes
 * what it found into DIR/.nngrade/state (state.h). When the workers are
 * done, the outputs are made from the state files with the rubric applied:
 *
 *   DIR/grades.csv            one row per student, sorted by name (CRLF)
 *   DIR/feedback/FILE.md      the report the student gets
 *   DIR/results/FILE.json     the same in Gradescope's results.json schema
 *   DIR/summary.md            per exercise: scores, histogram, hardest tests
 *   DIR/summary/              the histograms (gnuplot)
 *
 * Every entry keeps its own row under its own name, whatever bytes it
 * holds. FILE is the name made safe one-to-one: letters, digits, '.', '_',
 * '-', spaces and printable UTF-8 stay, every other byte (and '%', and a
 * leading '.') becomes %XX: "Doe, Jane" is "Doe%2C Jane". Two entries of one
 * student (alice/ and alice.zip), or two names whose files a case-blind file
 * system would mix up, stop the batch with an error naming both. DIR may not
 * lie inside SUBMISSIONS.
 *
 * With a roster (CSV, a header line "submission,id,email,section" and a row
 * per student), grades.csv also has the columns id, email, section and
 * status: students of the roster without a submission get a row of zeros
 * marked "missing", submissions not on the roster are marked so, and both
 * are listed on stderr and in summary.md. IDs and emails are written
 * exactly as in the roster, since gradebooks match on them.
 *
 * Rerunning the same command grades only the students without a state file
 * (after an interruption, even kill -9) and remakes the outputs; --force
 * grades everyone again. Submissions are only read, never changed.
 */
#ifndef NNG_BATCH_H
#define NNG_BATCH_H

#include "grade.h"
#include "report.h"

typedef struct nng_batch_options {
  const char *submissions;    /* the folder of entries */
  const char *out;            /* the output folder */
  const char *hidden_dir;     /* the TA's tests, or NULL */
  const char *rubric;         /* the rubric file, or NULL */
  const char *roster;         /* the roster file, or NULL */
  int jobs;                   /* workers at once */
  int force;                  /* grade students that have a state file again */
  int quiet;                  /* no progress */
  int only;                   /* grade this exercise only; 0: all */
  nng_hidden_view hidden_view;
} nng_batch_options;

/* Grade the class. Returns the exit status: 0 when every student was
 * graded, 1 when the grader failed on some (their rows say so; rerun to
 * retry them), 2 for a usage or setup error (nothing graded). */
int nng_batch_run(const nng_config *cfg, const nng_batch_options *opt);

/* Grade the exercises found in the folder DIR (all of them when ONLY is 0)
 * with the public tests, and the hidden ones of HIDDEN_DIR (may be NULL),
 * and print the report (nngrade check). Returns 0 at full marks, 1 below,
 * 2 when the grader could not do its work. */
int nng_check_run(const nng_config *cfg, const char *dir, int only,
                  const char *hidden_dir, const char *rubric_path,
                  nng_hidden_view view);

/* NAME as one line of terminal text, in BUF of N bytes (N > 0), which is
 * returned: printable UTF-8 stays; a backslash, control characters (a
 * newline, ESC, ...), bidirectional overrides and bytes that are not UTF-8
 * become visible escapes (\\ \n \t \r \x1b), so that no name can forge a
 * line of nngrade's output or move the cursor. Cut at a whole character to
 * fit. */
const char *nng_printable(const char *name, char *buf, size_t n);

/* Grade one submission folder and write Gradescope's results.json to RESULTS
 * (nngrade gradescope). Returns 0, or 2 when the results cannot be written
 * or the grader itself failed (then none are written: Gradescope shows a
 * failed autograder, not a zero). */
int nng_gradescope_run(const nng_config *cfg, const char *submission,
                       const char *results, const char *hidden_dir,
                       const char *rubric_path, nng_hidden_view view);

#endif /* NNG_BATCH_H */
