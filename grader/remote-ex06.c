/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex06.c: exercise 6's functions, called in the probe. */
#include <config.h>

#include "remote-ex06.h"
#include "testkit.h"

int
nng_ex6_peaks(const gsl_vector *p, double *z)
{
  nng_msg req, rep;
  int status;
  nng_msg_init(&req);
  nng_msg_put_int(&req, NNG_EX6_PEAKS);
  nng_msg_put_vector(&req, p);
  nng_msg_put_double(&req, *z);
  if (nng_remote_exchange("ex6_peaks", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_double(&rep, z) != 0)
    return nng_remote_bad_reply("ex6_peaks", &req, &rep);
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
  if (nng_remote_exchange("ex6_peaks_gradient", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, grad) != 0)
    return nng_remote_bad_reply("ex6_peaks_gradient", &req, &rep);
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
  if (nng_remote_exchange("ex6_step", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, p) != 0)
    return nng_remote_bad_reply("ex6_step", &req, &rep);
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
  if (nng_remote_exchange("ex6_descend", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_matrix_into(&rep, path) != 0 || nng_msg_get_vector_into(&rep, z) != 0)
    return nng_remote_bad_reply("ex6_descend", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
