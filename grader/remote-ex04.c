/* remote-ex04.c: exercise 4's functions, called in the probe. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "remote-ex04.h"
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

/* Read the next matrix of REP into M, which must have its shape. */
static int
get_matrix_into(nng_msg *rep, gsl_matrix *M)
{
  gsl_matrix *got = NULL;
  if (nng_msg_get_matrix_alloc(rep, &got) != 0)
    return -1;
  int ok = got->size1 == M->size1 && got->size2 == M->size2;
  if (ok)
    gsl_matrix_memcpy(M, got);
  gsl_matrix_free(got);
  return ok ? 0 : -1;
}

/* A loss: (prediction, target) in, one loss per row out. */
static int
loss_call(int number, const char *function, const gsl_matrix *A, const gsl_matrix *Y,
          gsl_vector *losses)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, number);
  nng_msg_put_matrix(&req, A);
  nng_msg_put_matrix(&req, Y);
  nng_msg_put_vector(&req, losses);
  if (call(function, &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, losses) != 0)
    return bad_reply(function, &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

/* A gradient: (prediction, target) in, a matrix of their shape out. */
static int
grad_call(int number, const char *function, const gsl_matrix *A, const gsl_matrix *Y,
          gsl_matrix *G)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, number);
  nng_msg_put_matrix(&req, A);
  nng_msg_put_matrix(&req, Y);
  nng_msg_put_matrix(&req, G);
  if (call(function, &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (get_matrix_into(&rep, G) != 0)
    return bad_reply(function, &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex4_mse(const gsl_matrix *Yhat, const gsl_matrix *Y, gsl_vector *losses)
{
  return loss_call(NNG_EX4_MSE, "ex4_mse", Yhat, Y, losses);
}

int
nng_ex4_mse_grad(const gsl_matrix *Yhat, const gsl_matrix *Y, gsl_matrix *dYhat)
{
  return grad_call(NNG_EX4_MSE_GRAD, "ex4_mse_grad", Yhat, Y, dYhat);
}

int
nng_ex4_bce(const gsl_matrix *P, const gsl_matrix *Y, gsl_vector *losses)
{
  return loss_call(NNG_EX4_BCE, "ex4_bce", P, Y, losses);
}

int
nng_ex4_bce_grad(const gsl_matrix *P, const gsl_matrix *Y, gsl_matrix *dP)
{
  return grad_call(NNG_EX4_BCE_GRAD, "ex4_bce_grad", P, Y, dP);
}

int
nng_ex4_cross_entropy(const gsl_matrix *Z, const gsl_matrix *Y, gsl_vector *losses)
{
  return loss_call(NNG_EX4_CE, "ex4_cross_entropy", Z, Y, losses);
}

int
nng_ex4_cross_entropy_grad(const gsl_matrix *Z, const gsl_matrix *Y, gsl_matrix *dZ)
{
  return grad_call(NNG_EX4_CE_GRAD, "ex4_cross_entropy_grad", Z, Y, dZ);
}

int
nng_ex4_cost(const gsl_vector *losses, double *cost)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX4_COST);
  nng_msg_put_vector(&req, losses);
  nng_msg_put_double(&req, *cost);
  if (call("ex4_cost", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, cost) != 0)
    return bad_reply("ex4_cost", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
