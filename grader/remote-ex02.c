/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex02.c: exercise 2's functions, called in the probe. */
#include <config.h>

#include "remote-ex02.h"
#include "testkit.h"

int
nng_ex2_weighted_sum(const gsl_vector *w, double w0, const gsl_vector *x, double *z)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX2_SUM);
  nng_msg_put_vector(&req, w);
  nng_msg_put_double(&req, w0);
  nng_msg_put_vector(&req, x);
  nng_msg_put_double(&req, *z);
  if (nng_remote_exchange("ex2_weighted_sum", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, z) != 0)
    return nng_remote_bad_reply("ex2_weighted_sum", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

/* ex2_activate and ex2_activate_deriv: the same arguments. */
static int
activation_call(int fn, const char *function, int kind, double slope,
                const gsl_vector *z, gsl_vector *out)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, fn);
  nng_msg_put_int(&req, kind);
  nng_msg_put_double(&req, slope);
  nng_msg_put_vector(&req, z);
  nng_msg_put_vector(&req, out);
  if (nng_remote_exchange(function, &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, out) != 0)
    return nng_remote_bad_reply(function, &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex2_activate(int kind, double slope, const gsl_vector *z, gsl_vector *a)
{
  return activation_call(NNG_EX2_ACTIVATE, "ex2_activate", kind, slope, z, a);
}

int
nng_ex2_activate_deriv(int kind, double slope, const gsl_vector *z, gsl_vector *d)
{
  return activation_call(NNG_EX2_DERIV, "ex2_activate_deriv", kind, slope, z, d);
}

int
nng_ex2_perceptron_update(gsl_vector *w, double *w0, const gsl_vector *x, double y,
                          double lr, int *mistake)
{
  nng_msg req, rep;
  int status;
  int64_t m;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX2_UPDATE);
  nng_msg_put_vector(&req, w);
  nng_msg_put_double(&req, *w0);
  nng_msg_put_vector(&req, x);
  nng_msg_put_double(&req, y);
  nng_msg_put_double(&req, lr);
  nng_msg_put_int(&req, *mistake);
  if (nng_remote_exchange("ex2_perceptron_update", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, w) != 0 || nng_msg_get_double(&rep, w0) != 0
      || nng_msg_get_int(&rep, &m) != 0)
    return nng_remote_bad_reply("ex2_perceptron_update", &req, &rep);
  *mistake = (int) m;
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
