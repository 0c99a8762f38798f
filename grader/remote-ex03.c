/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex03.c: exercise 3's functions, called in the probe. */
#include <config.h>

#include "remote-ex03.h"
#include "testkit.h"

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
  if (nng_remote_exchange_freeing("ex3_dense_forward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_matrix_into(&rep, Y) != 0)
    return nng_remote_bad_reply("ex3_dense_forward", &req, &rep);
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
  if (nng_remote_exchange_freeing("ex3_softmax", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_vector_into(&rep, p) != 0)
    return nng_remote_bad_reply("ex3_softmax", &req, &rep);
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
  if (nng_remote_exchange_freeing("ex3_forward", &req, &rep, &status) != 0)
    return NNG_PROBE_FAILED;
  if (nng_msg_get_matrix_into(&rep, Y) != 0)
    return nng_remote_bad_reply("ex3_forward", &req, &rep);
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
