/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex05.c: exercise 5's functions, called in the probe. */
#include <config.h>

#include "remote-ex05.h"
#include "testkit.h"

/* The four values of "opt" (calls-ex05.h). */
static void
put_options(nng_msg *req, const nng_ex5_options *opt)
{
  nng_msg_put_double(req, opt->lr);
  nng_msg_put_int(req, (int64_t) opt->epochs);
  nng_msg_put_int(req, opt->schedule);
  nng_msg_put_double(req, opt->decay);
}

int
nng_ex5_step(double *x, double dfdx, double lr)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX5_STEP);
  nng_msg_put_double(&req, *x);
  nng_msg_put_double(&req, dfdx);
  nng_msg_put_double(&req, lr);
  if (nng_remote_exchange("ex5_step", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, x) != 0)
    return nng_remote_bad_reply("ex5_step", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex5_rate(const nng_ex5_options *opt, size_t epoch, double fx, double dfdx,
             double *rate)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX5_RATE);
  put_options(&req, opt);
  nng_msg_put_int(&req, (int64_t) epoch);
  nng_msg_put_double(&req, fx);
  nng_msg_put_double(&req, dfdx);
  nng_msg_put_double(&req, *rate);
  if (nng_remote_exchange("ex5_rate", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, rate) != 0)
    return nng_remote_bad_reply("ex5_rate", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}

int
nng_ex5_descend(int kind, const gsl_vector *params, double x0,
                const nng_ex5_options *opt, gsl_vector *xs, gsl_vector *fs,
                gsl_vector *dfs)
{
  nng_msg req, rep;
  int status;
  double nothing = 0.0;
  gsl_vector none = {0, 1, &nothing, NULL, 0};  /* no parameters: 0 entries */
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX5_DESCEND);
  nng_msg_put_int(&req, kind);
  nng_msg_put_vector(&req, params != NULL ? params : &none);
  nng_msg_put_double(&req, x0);
  put_options(&req, opt);
  nng_msg_put_vector(&req, xs);
  nng_msg_put_vector(&req, fs);
  nng_msg_put_vector(&req, dfs);
  if (nng_remote_exchange("ex5_descend", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, xs) != 0 || nng_msg_get_vector_into(&rep, fs) != 0
      || nng_msg_get_vector_into(&rep, dfs) != 0)
    return nng_remote_bad_reply("ex5_descend", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
