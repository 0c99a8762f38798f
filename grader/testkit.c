/* testkit.c: what a grading test is written with (see testkit.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "probe.h"
#include "testkit.h"

static nng_probe *current_probe;
static nng_note *current_note;

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
}

void
nng_note_set(nng_verdict verdict, const char *fmt, ...)
{
  if (current_note == NULL)
    return;
  current_note->verdict = verdict;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(current_note->detail, sizeof current_note->detail, fmt, ap);
  va_end(ap);
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
  if (nng_msg_get_int(rep, &s) != 0 || s == NNG_PROBE_BAD_REQUEST) {
    nng_note_set(NNG_CRASHED, "While running %s, your program sent back a reply "
                 "the grader cannot read.", function);
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

int
nng_expect_vector_close_(const char *what, const gsl_vector *actual,
                         const gsl_vector *expected, double tol)
{
  if (actual->size != expected->size) {
    nng_note_set(NNG_FAILED, "%s: expected %zu entries, got %zu.", what,
                 expected->size, actual->size);
    return -1;
  }
  for (size_t i = 0; i < actual->size; i++) {
    double a = gsl_vector_get(actual, i), e = gsl_vector_get(expected, i);
    if (!close_enough(a, e, tol)) {
      nng_note_set(NNG_FAILED, "%s: entry %zu: expected %.12g, got %.12g "
                   "(tolerance %g).", what, i, e, a, tol);
      return -1;
    }
  }
  return 0;
}

int
nng_expect_true_(int ok, const char *fmt, ...)
{
  if (ok)
    return 0;
  if (current_note != NULL) {
    current_note->verdict = NNG_FAILED;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(current_note->detail, sizeof current_note->detail, fmt, ap);
    va_end(ap);
  }
  return -1;
}
