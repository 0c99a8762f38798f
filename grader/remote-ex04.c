/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex04.c: exercise 4's functions, called in the probe. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "remote-ex04.h"
#include "testkit.h"

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
  if (nng_remote_exchange(function, &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, losses) != 0)
    return nng_remote_bad_reply(function, &req, &rep);
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
  if (nng_remote_exchange(function, &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_matrix_into(&rep, G) != 0)
    return nng_remote_bad_reply(function, &req, &rep);
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
  if (nng_remote_exchange("ex4_cost", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, cost) != 0)
    return nng_remote_bad_reply("ex4_cost", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
