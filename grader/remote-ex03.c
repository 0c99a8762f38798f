/* remote-ex03.c: exercise 3's functions, called in the probe. */
#include <config.h>

#include "remote-ex03.h"
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

/* Read the next matrix of REP into Y, which it must fit: 0, or -1. */
static int
get_matrix_into(nng_msg *rep, gsl_matrix *Y)
{
  gsl_matrix *M = NULL;
  if (nng_msg_get_matrix_alloc(rep, &M) != 0)
    return -1;
  int fits = M->size1 == Y->size1 && M->size2 == Y->size2;
  if (fits)
    gsl_matrix_memcpy(Y, M);
  gsl_matrix_free(M);
  return fits ? 0 : -1;
}

int
nng_ex3_dense_forward(const gsl_matrix *X, const gsl_matrix *W, const gsl_vector *b,
                      gsl_matrix *Y)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX3_DENSE);
  nng_msg_put_matrix(&req, X);
  nng_msg_put_matrix(&req, W);
  nng_msg_put_vector(&req, b);
  nng_msg_put_matrix(&req, Y);
  if (call("ex3_dense_forward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (get_matrix_into(&rep, Y) != 0)
    return bad_reply("ex3_dense_forward", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex3_softmax(const gsl_vector *z, double T, gsl_vector *p)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX3_SOFTMAX);
  nng_msg_put_vector(&req, z);
  nng_msg_put_double(&req, T);
  nng_msg_put_vector(&req, p);
  if (call("ex3_softmax", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, p) != 0)
    return bad_reply("ex3_softmax", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex3_forward(const nng_ex3_layer layers[], size_t n_layers, const gsl_matrix *X,
                gsl_matrix *Y)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX3_FORWARD);
  nng_msg_put_int(&req, (int64_t) n_layers);
  for (size_t l = 0; l < n_layers; l++) {
    nng_msg_put_matrix(&req, layers[l].W);
    nng_msg_put_vector(&req, layers[l].b);
    nng_msg_put_int(&req, layers[l].activation);
  }
  nng_msg_put_matrix(&req, X);
  nng_msg_put_matrix(&req, Y);
  if (call("ex3_forward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (get_matrix_into(&rep, Y) != 0)
    return bad_reply("ex3_forward", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
