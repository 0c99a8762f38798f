/* remote-ex06.c: exercise 6's functions, called in the probe. */
#include <config.h>

#include "remote-ex06.h"
#include "testkit.h"

/* Send REQ, check the reply's status; on a probe failure release both. */
static int
call(const char *function, nng_msg *req, nng_msg *rep, int *status)
{
  nng_msg_init(rep);
  if (nng_remote_call(function, req, rep, status) != 0) {
    nng_msg_release(req);
    nng_msg_release(rep);
    return -1;
  }
  return 0;
}

/* A reply whose outputs do not parse: the probe's fault. */
static int
bad_reply(const char *function, nng_msg *req, nng_msg *rep)
{
  nng_note_set(NNG_CRASHED, "While running %s, your program sent back a reply "
               "the grader cannot read.", function);
  nng_msg_release(req);
  nng_msg_release(rep);
  return NNG_PROBE_FAILED;
}

/* Read the next matrix of REP into M, which it must fit: 0, or -1. */
static int
get_matrix_into(nng_msg *rep, gsl_matrix *M)
{
  gsl_matrix *got = NULL;
  if (nng_msg_get_matrix_alloc(rep, &got) != 0)
    return -1;
  int fits = got->size1 == M->size1 && got->size2 == M->size2;
  if (fits)
    gsl_matrix_memcpy(M, got);
  gsl_matrix_free(got);
  return fits ? 0 : -1;
}

int
nng_ex6_peaks(const gsl_vector *p, double *z)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX6_PEAKS);
  nng_msg_put_vector(&req, p);
  nng_msg_put_double(&req, *z);
  if (call("ex6_peaks", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, z) != 0)
    return bad_reply("ex6_peaks", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex6_peaks_gradient(const gsl_vector *p, gsl_vector *grad)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX6_GRADIENT);
  nng_msg_put_vector(&req, p);
  nng_msg_put_vector(&req, grad);
  if (call("ex6_peaks_gradient", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, grad) != 0)
    return bad_reply("ex6_peaks_gradient", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex6_step(gsl_vector *p, const gsl_vector *grad, double lr, int ascent)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX6_STEP);
  nng_msg_put_vector(&req, p);
  nng_msg_put_vector(&req, grad);
  nng_msg_put_double(&req, lr);
  nng_msg_put_int(&req, ascent);
  if (call("ex6_step", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, p) != 0)
    return bad_reply("ex6_step", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex6_descend(const gsl_vector *p0, double lr, int ascent, gsl_matrix *path,
                gsl_vector *z)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX6_DESCEND);
  nng_msg_put_vector(&req, p0);
  nng_msg_put_double(&req, lr);
  nng_msg_put_int(&req, ascent);
  nng_msg_put_matrix(&req, path);
  nng_msg_put_vector(&req, z);
  if (call("ex6_descend", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (get_matrix_into(&rep, path) != 0 || nng_msg_get_vector_into(&rep, z) != 0)
    return bad_reply("ex6_descend", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
