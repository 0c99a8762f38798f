/* batch.h: grading a class.
 *
 *   nngrade batch SUBMISSIONS --out DIR [-j N] [--hidden TESTS] [--rubric FILE]
 *
 * SUBMISSIONS holds one entry per student: a folder, a .tar.gz (.tgz) or a
 * .zip, named after the student. Each student is graded by a worker process
 * of its own, N at a time; the worker unpacks an archive into a private
 * scratch folder, grades every exercise (each compiled on its own) and writes
 * what it found into DIR/.nngrade/state (state.h). When the workers are
 * done, the outputs are made from the state files with the rubric applied:
 *
 *   DIR/grades.csv            one row per student, sorted by name
 *   DIR/feedback/NAME.md      the report the student gets
 *   DIR/results/NAME.json     the same in Gradescope's results.json schema
 *   DIR/summary.md            per exercise: scores, histogram, hardest tests
 *   DIR/summary/              the histograms (gnuplot)
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

/* Grade one submission folder and write Gradescope's results.json to RESULTS
 * (nngrade gradescope). Returns 0, or 2 when the results cannot be written. */
int nng_gradescope_run(const nng_config *cfg, const char *submission,
                       const char *results, const char *hidden_dir,
                       const char *rubric_path, nng_hidden_view view);

#endif /* NNG_BATCH_H */
