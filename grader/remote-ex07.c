/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex07.c: exercise 7's functions, called in the probe. */
#include <config.h>

#include "remote-ex07.h"
#include "testkit.h"

int
nng_ex7_add_backward(double dc, double *da, double *db)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX7_ADD);
  nng_msg_put_double(&req, dc);
  nng_msg_put_double(&req, *da);
  nng_msg_put_double(&req, *db);
  if (nng_remote_exchange("ex7_add_backward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, da) != 0 || nng_msg_get_double(&rep, db) != 0)
    return nng_remote_bad_reply("ex7_add_backward", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

static int
mul_backward(double a, double b, double dc, double *da, double *db, int alias)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX7_MUL);
  nng_msg_put_double(&req, a);
  nng_msg_put_double(&req, b);
  nng_msg_put_double(&req, dc);
  nng_msg_put_double(&req, *da);
  nng_msg_put_double(&req, *db);
  nng_msg_put_int(&req, alias);
  if (nng_remote_exchange("ex7_mul_backward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  double got_da, got_db;
  if (nng_msg_get_double(&rep, &got_da) != 0 || nng_msg_get_double(&rep, &got_db) != 0)
    return nng_remote_bad_reply("ex7_mul_backward", &req, &rep);
  *da = got_da;
  *db = got_db;  /* when aliased, da and db are the same number */
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex7_mul_backward(double a, double b, double dc, double *da, double *db)
{
  return mul_backward(a, b, dc, da, db, 0);
}

int
nng_ex7_mul_backward_square(double a, double dc, double *g)
{
  return mul_backward(a, a, dc, g, g, 1);
}

int
nng_ex7_tanh_backward(double c, double dc, double *da)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX7_TANH);
  nng_msg_put_double(&req, c);
  nng_msg_put_double(&req, dc);
  nng_msg_put_double(&req, *da);
  if (nng_remote_exchange("ex7_tanh_backward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, da) != 0)
    return nng_remote_bad_reply("ex7_tanh_backward", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex7_dense_backward(const gsl_matrix *X, const gsl_matrix *W, const gsl_matrix *dY,
                       gsl_matrix *dX, gsl_matrix *dW, gsl_vector *db)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX7_DENSE);
  nng_msg_put_matrix(&req, X);
  nng_msg_put_matrix(&req, W);
  nng_msg_put_matrix(&req, dY);
  nng_msg_put_int(&req, dX != NULL);
  if (dX != NULL)
    nng_msg_put_matrix(&req, dX);
  nng_msg_put_matrix(&req, dW);
  nng_msg_put_vector(&req, db);
  if (nng_remote_exchange("ex7_dense_backward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if ((dX != NULL && nng_msg_get_matrix_into(&rep, dX) != 0) || nng_msg_get_matrix_into(&rep, dW) != 0
      || nng_msg_get_vector_into(&rep, db) != 0)
    return nng_remote_bad_reply("ex7_dense_backward", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
