/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex01.c: exercise 1's functions, called in the probe. */
#include <config.h>

#include "remote-ex01.h"
#include "testkit.h"

int
nng_ex1_dot(const gsl_vector *x, const gsl_vector *y, double *result)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX1_DOT);
  nng_msg_put_vector(&req, x);
  nng_msg_put_vector(&req, y);
  nng_msg_put_double(&req, *result);
  if (nng_remote_exchange("ex1_dot", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, result) != 0)
    return nng_remote_bad_reply("ex1_dot", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex1_matvec(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX1_MATVEC);
  nng_msg_put_matrix(&req, W);
  nng_msg_put_vector(&req, x);
  nng_msg_put_vector(&req, y);
  if (nng_remote_exchange("ex1_matvec", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, y) != 0)
    return nng_remote_bad_reply("ex1_matvec", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex1_central_difference(int kind, const gsl_vector *params, double x, double h,
                           double *result, long *evaluations)
{
  nng_msg req, rep;
  int status;
  int64_t evals;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX1_CENTRAL);
  nng_msg_put_int(&req, kind);
  nng_msg_put_vector(&req, params);
  nng_msg_put_double(&req, x);
  nng_msg_put_double(&req, h);
  nng_msg_put_double(&req, *result);
  if (nng_remote_exchange("ex1_central_difference", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, result) != 0 || nng_msg_get_int(&rep, &evals) != 0)
    return nng_remote_bad_reply("ex1_central_difference", &req, &rep);
  if (evaluations != NULL)
    *evaluations = (long) evals;
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

static int
poly_derivative(const gsl_vector *c, gsl_vector *dc, int alias)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX1_POLYDER);
  nng_msg_put_vector(&req, c);
  nng_msg_put_vector(&req, dc);
  nng_msg_put_int(&req, alias);
  if (nng_remote_exchange("ex1_poly_derivative", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, dc) != 0)
    return nng_remote_bad_reply("ex1_poly_derivative", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex1_poly_derivative(const gsl_vector *c, gsl_vector *dc)
{
  return poly_derivative(c, dc, 0);
}

int
nng_ex1_poly_derivative_in_place(gsl_vector *c)
{
  return poly_derivative(c, c, 1);
}
