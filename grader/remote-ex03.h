/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex03.h: exercise 3's functions, called in the probe (see testkit.h).
 *
 * The same contracts as exercise3.h; each returns the student's status, or
 * NNG_PROBE_FAILED when the probe did not answer. Outputs are sent along with
 * their value before the call and read back after it, so a test can check
 * that an error left them untouched. nngrade does not include the student's
 * header, so the layer of a stack and the activations are repeated below,
 * with the same values; an activation is an int here, so that a test can
 * send one that is not an ex3_activation.
 */
#ifndef NNG_REMOTE_EX03_H
#define NNG_REMOTE_EX03_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "calls-ex03.h"

/* The values of ex3_activation. */
enum {
  NNG_EX3_IDENTITY = 0,
  NNG_EX3_RELU,
  NNG_EX3_SIGMOID,
  NNG_EX3_TANH
};

/* ex3_layer: W (N_out, N_in), b (N_out), the activation. */
typedef struct nng_ex3_layer {
  const gsl_matrix *W;
  const gsl_vector *b;
  int activation;
} nng_ex3_layer;

int nng_ex3_dense_forward(const gsl_matrix *X, const gsl_matrix *W,
                          const gsl_vector *b, gsl_matrix *Y);
int nng_ex3_softmax(const gsl_vector *z, double T, gsl_vector *p);
/* At most NNG_EX3_MAX_LAYERS layers. */
int nng_ex3_forward(const nng_ex3_layer layers[], size_t n_layers,
                    const gsl_matrix *X, gsl_matrix *Y);

#endif /* NNG_REMOTE_EX03_H */
