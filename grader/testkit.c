/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testkit.c: what a grading test is written with (see testkit.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "probe.h"
#include "testkit.h"

static nng_probe *current_probe;
static nng_note *current_note;
static size_t n_inputs;      /* inputs named by the running test */
static char builds_on[64];   /* the function it builds on, when wrong; or "" */
/* Set by nng_remote_exchange_freeing() for the call it makes. */
static int leaks_fail;

nng_probe *
nng_current_probe(void)
{
  return current_probe;
}

void
nng_set_current(nng_probe *probe, nng_note *note)
{
  current_probe = probe;
  current_note = note;
  n_inputs = 0;  /* a new test names its own */
  builds_on[0] = '\0';
}

void
nng_builds_on(const char *first, int works)
{
  if (!works)
    snprintf(builds_on, sizeof builds_on, "%s", first);
}

static void
note_vset(nng_verdict verdict, const char *fmt, va_list ap)
{
  if (current_note == NULL)
    return;
  current_note->verdict = verdict;
  char *detail = current_note->detail;
  const size_t size = sizeof current_note->detail;
  size_t used = 0;
  if (verdict == NNG_FAILED && builds_on[0] != '\0') {
    snprintf(detail, size, "This test builds on %s, which gives a wrong answer in a "
             "simple case: fix %s first (its own tests say what is wrong). This test "
             "saw: ", builds_on, builds_on);
    used = strlen(detail);
  }
  vsnprintf(detail + used, size - used, fmt, ap);
}

void
nng_note_set(nng_verdict verdict, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  note_vset(verdict, fmt, ap);
  va_end(ap);
}

/* The record every reply ends with (see probe.h): read it and cut it off
 * the reply, so that the remote stub reads the outputs as they were. */
static int
read_watch(nng_msg *rep, nng_watch *w)
{
  const size_t tail = 1 + sizeof(int64_t);
  int64_t start, line, gsl_errno, complete;
  size_t pos = rep->pos;
  if (rep->error || rep->len < pos + tail)
    return -1;
  rep->pos = rep->len - tail;
  if (nng_msg_get_int(rep, &start) != 0 || start < (int64_t) pos
      || start > (int64_t) (rep->len - tail))
    return -1;
  rep->pos = (size_t) start;
  if (nng_msg_get_string(rep, w->function, sizeof w->function) != 0
      || nng_msg_get_string(rep, w->reason, sizeof w->reason) != 0
      || nng_msg_get_string(rep, w->file, sizeof w->file) != 0
      || nng_msg_get_int(rep, &line) != 0 || nng_msg_get_int(rep, &gsl_errno) != 0
      || nng_msg_get_int(rep, &w->leaked_bytes) != 0
      || nng_msg_get_int(rep, &w->leaked_blocks) != 0
      || nng_msg_get_int(rep, &complete) != 0 || rep->pos != rep->len - tail)
    return -1;
  w->line = (int) line;
  w->gsl_errno = (int) gsl_errno;
  w->complete = complete != 0;
  rep->len = (size_t) start;
  rep->pos = pos;
  return 0;
}

int
nng_remote_call(const char *function, const nng_msg *req, nng_msg *rep, int *status)
{
  nng_probe *p = current_probe;
  if (p == NULL) {
    nng_note_set(NNG_CRASHED, "%s: no probe is running (a grader bug)", function);
    return NNG_PROBE_FAILED;
  }
  if (nng_probe_call(p, req, rep) != 0) {
    nng_note_set(NNG_CRASHED, "While running %s, your program %s.", function,
                 p->reason[0] ? p->reason : "stopped");
    return NNG_PROBE_FAILED;
  }
  int64_t s;
  nng_watch w;
  if (nng_msg_get_int(rep, &s) != 0 || s == NNG_PROBE_BAD_REQUEST
      || read_watch(rep, &w) != 0) {
    nng_note_set(NNG_CRASHED, "While running %s, your program sent back a reply "
                 "the grader cannot read.", function);
    return NNG_PROBE_FAILED;
  }
  if (w.gsl_errno != 0) {
    const char *base = strrchr(w.file, '/');
    int range = strstr(w.reason, "out of range") != NULL
                || strstr(w.reason, "past end") != NULL;
    nng_note_set(NNG_FAILED, "While running %s, your code called %s %s: %s (%s, "
                 "line %d). %s", function, w.function,
                 range ? "out of range" : "with an invalid argument", w.reason,
                 base != NULL ? base + 1 : w.file, w.line,
                 range ? "Every index must be below the size of the vector or "
                 "matrix: GSL refused this one, but it is a bug in your code."
                 : "GSL refused the call: check its arguments.");
    return NNG_PROBE_FAILED;
  }
  if (leaks_fail && w.leaked_bytes > 0) {
    nng_note_set(NNG_FAILED, "%s did not free %s%lld bytes (%lld allocation%s) "
                 "that it allocated: every allocation must be freed before "
                 "returning, also when you return early on an error.", function,
                 w.complete ? "" : "at least ", (long long) w.leaked_bytes,
                 (long long) w.leaked_blocks, w.leaked_blocks == 1 ? "" : "s");
    return NNG_PROBE_FAILED;
  }
  *status = (int) s;
  return 0;
}

int
nng_remote_exchange(const char *function, nng_msg *req, nng_msg *rep, int *status)
{
  nng_msg_init(rep);
  if (nng_remote_call(function, req, rep, status) != 0) {
    nng_msg_release(req);
    nng_msg_release(rep);
    return -1;
  }
  return 0;
}

int
nng_remote_exchange_freeing(const char *function, nng_msg *req, nng_msg *rep,
                            int *status)
{
  leaks_fail = 1;
  int r = nng_remote_exchange(function, req, rep, status);
  leaks_fail = 0;
  return r;
}

int
nng_remote_bad_reply(const char *function, nng_msg *req, nng_msg *rep)
{
  nng_note_set(NNG_CRASHED, "While running %s, your program sent back a reply "
               "the grader cannot read.", function);
  nng_msg_release(req);
  nng_msg_release(rep);
  return NNG_PROBE_FAILED;
}

const char *
nng_status_name(int status)
{
  static char buf[160];
  const char *name;
  switch (status) {
  case GSL_SUCCESS: name = "GSL_SUCCESS"; break;
  case GSL_FAILURE: name = "GSL_FAILURE"; break;
  case GSL_EDOM: name = "GSL_EDOM"; break;
  case GSL_ERANGE: name = "GSL_ERANGE"; break;
  case GSL_EFAULT: name = "GSL_EFAULT"; break;
  case GSL_EINVAL: name = "GSL_EINVAL"; break;
  case GSL_EFAILED: name = "GSL_EFAILED"; break;
  case GSL_ENOMEM: name = "GSL_ENOMEM"; break;
  case GSL_EBADLEN: name = "GSL_EBADLEN"; break;
  case GSL_ENOTSQR: name = "GSL_ENOTSQR"; break;
  case GSL_EUNIMPL: name = "GSL_EUNIMPL"; break;
  default: name = NULL; break;
  }
  if (name != NULL)
    snprintf(buf, sizeof buf, "%s (%s)", name, gsl_strerror(status));
  else
    snprintf(buf, sizeof buf, "%d", status);
  return buf;
}

int
nng_require_success_(int status, const char *function)
{
  if (status == GSL_SUCCESS)
    return 0;
  if (status == NNG_PROBE_FAILED)
    return -1;  /* already written down */
  if (status == GSL_EUNIMPL)
    nng_note_set(NNG_UNIMPLEMENTED, "%s: not implemented yet (it returns GSL_EUNIMPL).",
                 function);
  else
    nng_note_set(NNG_FAILED, "%s returned %s, expected GSL_SUCCESS.", function,
                 nng_status_name(status));
  return -1;
}

int
nng_expect_status_(int status, int expected, const char *function,
                   const char *situation)
{
  if (status == expected)
    return 0;
  if (status == NNG_PROBE_FAILED)
    return -1;
  if (status == GSL_EUNIMPL) {
    nng_note_set(NNG_UNIMPLEMENTED, "%s: not implemented yet (it returns GSL_EUNIMPL).",
                 function);
    return -1;
  }
  char want[160];
  snprintf(want, sizeof want, "%s", nng_status_name(expected));
  nng_note_set(NNG_FAILED, "%s, %s: expected %s, got %s.", function, situation,
               want, nng_status_name(status));
  return -1;
}

static int
close_enough(double actual, double expected, double tol)
{
  if (isnan(expected))
    return isnan(actual);
  double scale = fabs(expected) > 1.0 ? fabs(expected) : 1.0;
  return isfinite(actual) && fabs(actual - expected) <= tol * scale;
}

int
nng_expect_close_(const char *what, double actual, double expected, double tol)
{
  if (close_enough(actual, expected, tol))
    return 0;
  nng_note_set(NNG_FAILED, "%s: expected %.12g, got %.12g (tolerance %g).", what,
               expected, actual, tol);
  return -1;
}

/* ===== Comparing a vector or matrix with the expected one =====
 *
 * A wrong answer often has a signature that names the bug: every entry
 * is B times the expected one (the division by the batch size is missing),
 * minus it (a sign), twice or half of it, the matrix is transposed, every
 * entry holds its neighbour's value (an index off by one), or a single
 * entry is wrong (a boundary case). The comparisons below look for these
 * over the whole answer before they report the first wrong entry, and show
 * the inputs at that entry when the test named them (nng_show_input). For a
 * step (an output that moves from where it started), the signature is
 * sought in the move: a step that goes the wrong way is minus the expected
 * move, not minus the expected position. */

/* An answer laid out as a grid: a vector is one column of n rows. */
typedef struct grid {
  const double *data;
  size_t rows, cols;
  size_t row_stride, col_stride;  /* in doubles */
} grid;

static double
at(const grid *g, size_t r, size_t c)
{
  return g->data[r * g->row_stride + c * g->col_stride];
}

static grid
grid_of_vector(const gsl_vector *v)
{
  return (grid) {v->data, v->size, 1, v->stride, 1};
}

static grid
grid_of_matrix(const gsl_matrix *m)
{
  return (grid) {m->data, m->size1, m->size2, m->tda, 1};
}

/* Inputs named by the running test, shown next to a wrong entry. */
#define MAX_INPUTS 4
static struct {
  const char *name;
  grid g;
  int is_vector;
} inputs[MAX_INPUTS];

void
nng_show_input(const char *name, const gsl_matrix *M)
{
  if (n_inputs < MAX_INPUTS)
    inputs[n_inputs++] = (typeof(inputs[0])) {name, grid_of_matrix(M), 0};
}

void
nng_show_input_vector(const char *name, const gsl_vector *v)
{
  if (n_inputs < MAX_INPUTS)
    inputs[n_inputs++] = (typeof(inputs[0])) {name, grid_of_vector(v), 1};
}

/* Append to BUF (of SIZE bytes, holding a string) like printf. */
static void
append(char *buf, size_t size, const char *fmt, ...)
{
  size_t used = strlen(buf);
  if (used + 1 >= size)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + used, size - used, fmt, ap);
  va_end(ap);
}

/* The inputs at entry (r, c): the entry itself for an input of the
 * answer's shape, the row for one with as many rows. */
static void
append_inputs(char *buf, size_t size, const grid *answer, size_t r, size_t c,
              int is_vector)
{
  const char *sep = " Inputs there: ";
  for (size_t k = 0; k < n_inputs; k++) {
    const grid *g = &inputs[k].g;
    if (g->rows == answer->rows && g->cols == answer->cols) {
      if (is_vector)
        append(buf, size, "%s%s[%zu] = %.12g", sep, inputs[k].name, r, at(g, r, c));
      else
        append(buf, size, "%s%s[%zu][%zu] = %.12g", sep, inputs[k].name, r, c,
               at(g, r, c));
    } else if (!inputs[k].is_vector && g->rows == answer->rows && g->cols <= 8) {
      append(buf, size, "%srow %zu of %s = (", sep, r, inputs[k].name);
      for (size_t j = 0; j < g->cols; j++)
        append(buf, size, "%s%.12g", j ? ", " : "", at(g, r, j));
      append(buf, size, ")");
    } else {
      continue;
    }
    sep = ", ";
  }
  if (strcmp(sep, ", ") == 0)
    append(buf, size, ".");
}

/* x is y, up to rounding. */
static int
same(double x, double y)
{
  return fabs(x - y) <= 1e-9 * fmax(1.0, fmax(fabs(x), fabs(y)));
}

/* Entry (r, c) of the answer or of the expected one, less the start. */
static double
moved(const grid *g, const grid *start, size_t r, size_t c)
{
  return at(g, r, c) - (start != NULL ? at(start, r, c) : 0.0);
}

/* The factor f with A = f E over all entries (of the moves, for a step), if
 * there is one; else NAN. */
static double
common_factor(const grid *A, const grid *E, const grid *start)
{
  size_t br = 0, bc = 0;
  double largest = 0.0;
  for (size_t r = 0; r < E->rows; r++)
    for (size_t c = 0; c < E->cols; c++)
      if (fabs(moved(E, start, r, c)) > largest) {
        largest = fabs(moved(E, start, r, c));
        br = r;
        bc = c;
      }
  if (!(largest > 0.0))
    return NAN;
  const double f = moved(A, start, br, bc) / moved(E, start, br, bc);
  if (!isfinite(f))
    return NAN;
  for (size_t r = 0; r < E->rows; r++)
    for (size_t c = 0; c < E->cols; c++)
      if (!same(moved(A, start, r, c), f * moved(E, start, r, c)))
        return NAN;
  return f;
}

/* Say what the factor f means, for an answer of B rows and N columns (a
 * vector: N = 1). */
static void
append_factor(char *buf, size_t size, double f, size_t B, size_t N, int is_vector,
              int step)
{
  const char *every = step ? " Every entry of your step (how far each entry moved)"
                           : " Every entry";
  const size_t n = B * N;
  if (same(f, 0.0))
    append(buf, size, "%s is 0: is the output written at all?", every);
  else if (same(f, -1.0))
    append(buf, size, "%s is minus the expected one: a sign is flipped%s.", every,
           step ? " (the step goes the wrong way)" : "");
  else if (!is_vector && B > 1 && same(f, (double) B))
    append(buf, size, "%s is B = %zu times the expected one: did you forget to divide "
           "by the batch size?", every, B);
  else if (!is_vector && B > 1 && same(f, 1.0 / (double) B))
    append(buf, size, "%s is the expected one divided by B = %zu: did you divide by the "
           "batch size once too often?", every, B);
  else if (!is_vector && N > 1 && same(f, (double) N))
    append(buf, size, "%s is N = %zu times the expected one: did you forget to divide "
           "by the number of columns N?", every, N);
  else if (!is_vector && B > 1 && N > 1 && same(f, (double) n))
    append(buf, size, "%s is B·N = %zu times the expected one: did you forget to divide "
           "by B·N?", every, n);
  else if (is_vector && n > 2 && same(f, (double) n))
    append(buf, size, "%s is N = %zu (the number of entries) times the expected one: "
           "did you forget to divide by N?", every, n);
  else if (same(f, 2.0))
    append(buf, size, "%s is twice the expected one: a factor 2 too many?", every);
  else if (same(f, 0.5))
    append(buf, size, "%s is half the expected one: a factor 2 missing?", every);
  else if (same(f, -2.0) || same(f, -0.5))
    append(buf, size, "%s is %g times the expected one: a sign flipped and a factor 2.",
           every, f);
  else
    append(buf, size, "%s is %.6g times the expected one: a constant factor is wrong.",
           every, f);
}

/* A holds E transposed: as the same square shape, or its entries read
 * column by column. */
static int
transposed(const grid *A, const grid *E)
{
  const size_t B = E->rows, N = E->cols;
  if (B < 2 || N < 2)
    return 0;
  int square = B == N, by_columns = 1;
  for (size_t r = 0; r < B; r++)
    for (size_t c = 0; c < N; c++) {
      const double e = at(E, r, c);
      if (square && !same(at(A, c, r), e))
        square = 0;
      size_t k = c * B + r;  /* its place, reading A row by row */
      if (by_columns && !same(at(A, k / N, k % N), e))
        by_columns = 0;
    }
  return square || by_columns;
}

/* Every entry of A (in row order) holds the expected entry SHIFT places
 * after it (-1: before), where there is one, and those differ from what
 * was expected. */
static int
shifted(const grid *A, const grid *E, int shift)
{
  const size_t n = E->rows * E->cols, N = E->cols;
  if (n < 3)
    return 0;
  size_t explained = 0;
  for (size_t k = 0; k < n; k++) {
    if ((shift > 0 && k + 1 == n) || (shift < 0 && k == 0))
      continue;
    const size_t j = shift > 0 ? k + 1 : k - 1;
    if (!same(at(A, k / N, k % N), at(E, j / N, j % N)))
      return 0;
    explained += !same(at(E, k / N, k % N), at(E, j / N, j % N));
  }
  return explained >= 2;
}

/* The comparison itself. */
static int
expect_grid_close(const char *what, const grid *A, const grid *E, const grid *start,
                  double tol, int is_vector)
{
  size_t wrong = 0, r0 = 0, c0 = 0;
  for (size_t r = 0; r < E->rows; r++)
    for (size_t c = 0; c < E->cols; c++)
      if (!close_enough(at(A, r, c), at(E, r, c), tol) && wrong++ == 0) {
        r0 = r;
        c0 = c;
      }
  if (wrong == 0)
    return 0;
  char msg[1024];
  if (is_vector)
    snprintf(msg, sizeof msg, "%s: entry %zu: expected %.12g, got %.12g (tolerance %g).",
             what, r0, at(E, r0, c0), at(A, r0, c0), tol);
  else
    snprintf(msg, sizeof msg, "%s: row %zu, column %zu: expected %.12g, got %.12g "
             "(tolerance %g).", what, r0, c0, at(E, r0, c0), at(A, r0, c0), tol);

  const double f = common_factor(A, E, start);
  if (!isnan(f) && !same(f, 1.0))  /* 1: wrong beyond a tolerance below rounding */
    append_factor(msg, sizeof msg, f, E->rows, E->cols, is_vector, start != NULL);
  else if (wrong == 1 && E->rows * E->cols > 2)
    append(msg, sizeof msg, " Only this entry is wrong, all %zu others are right: a "
           "special case (the first or last entry, a boundary) handled differently?",
           E->rows * E->cols - 1);
  else if (!is_vector && transposed(A, E))
    append(msg, sizeof msg, " Your matrix is the expected one transposed: rows and "
           "columns are swapped (an index order, or a product in the wrong order).");
  else if (shifted(A, E, 1) || shifted(A, E, -1))
    append(msg, sizeof msg, " Each entry holds the expected value of the entry %s it: "
           "an index off by one?", shifted(A, E, 1) ? "after" : "before");
  append_inputs(msg, sizeof msg, E, r0, c0, is_vector);
  nng_note_set(NNG_FAILED, "%s", msg);
  return -1;
}

int
nng_expect_vector_close_(const char *what, const gsl_vector *actual,
                         const gsl_vector *expected, double tol)
{
  if (actual->size != expected->size) {
    nng_note_set(NNG_FAILED, "%s: expected %zu entries, got %zu.", what,
                 expected->size, actual->size);
    return -1;
  }
  grid a = grid_of_vector(actual), e = grid_of_vector(expected);
  return expect_grid_close(what, &a, &e, NULL, tol, 1);
}

int
nng_expect_matrix_close_(const char *what, const gsl_matrix *actual,
                         const gsl_matrix *expected, double tol)
{
  if (actual->size1 != expected->size1 || actual->size2 != expected->size2) {
    nng_note_set(NNG_FAILED, "%s: expected a %zux%zu matrix, got %zux%zu.", what,
                 expected->size1, expected->size2, actual->size1, actual->size2);
    return -1;
  }
  grid a = grid_of_matrix(actual), e = grid_of_matrix(expected);
  return expect_grid_close(what, &a, &e, NULL, tol, 0);
}

int
nng_expect_step_close_(const char *what, const gsl_vector *actual,
                       const gsl_vector *expected, const gsl_vector *start, double tol)
{
  if (actual->size != expected->size || start->size != expected->size) {
    nng_note_set(NNG_FAILED, "%s: expected %zu entries, got %zu.", what,
                 expected->size, actual->size);
    return -1;
  }
  grid a = grid_of_vector(actual), e = grid_of_vector(expected), s = grid_of_vector(start);
  return expect_grid_close(what, &a, &e, &s, tol, 1);
}

int
nng_expect_true_(int ok, const char *fmt, ...)
{
  if (ok)
    return 0;
  va_list ap;
  va_start(ap, fmt);
  note_vset(NNG_FAILED, fmt, ap);
  va_end(ap);
  return -1;
}

/* ===== Test data ===== */

void
nng_fill_uniform(double *a, size_t n, double lo, double hi, unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  for (size_t i = 0; i < n; i++)
    a[i] = lo + (hi - lo) * gsl_rng_uniform(r);
  gsl_rng_free(r);
}

void
nng_set_all(double *a, size_t n, double v)
{
  for (size_t i = 0; i < n; i++)
    a[i] = v;
}

int
nng_all_equal(const double *a, size_t n, double v)
{
  for (size_t i = 0; i < n; i++)
    if (!(a[i] == v || (isnan(a[i]) && isnan(v))))
      return 0;
  return 1;
}

int
nng_expect_overwritten_(const double *a, size_t n, const char *name, const char *how)
{
  size_t nans = 0;
  for (size_t k = 0; k < n; k++)
    nans += isnan(a[k]) != 0;
  return nng_expect_true_(nans == 0,
                          "%zu of the %zu entries of %s are NaN. %s held NaN before the "
                          "call: did your code add to it instead of writing it? %s%s"
                          "Otherwise look for a 0 / 0.", nans, n, name, name, how,
                          how[0] != '\0' ? " " : "");
}
