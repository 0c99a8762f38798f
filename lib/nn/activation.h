/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/activation.h: activation functions and their derivatives.
 *
 * A neuron computes a weighted sum z = w0 + wᵀx and passes it through a
 * nonlinearity g: y = g(z). The activations of the course, with their
 * derivatives:
 *
 *   identity    g(z) = z                      g'(z) = 1
 *   step        g(z) = 1 if z >= 0, else 0    g'(z) = 0   (no slope to follow)
 *   sigmoid     g(z) = 1 / (1 + e^-z)         g'(z) = g(z) (1 - g(z))
 *   tanh        g(z) = tanh z                 g'(z) = 1 - tanh² z
 *   relu        g(z) = max(0, z)              g'(z) = 1 if z > 0, else 0
 *   leaky_relu  g(z) = z if z > 0, else a z   g'(z) = 1 if z > 0, else a
 *
 * where a is the leaky ReLU's slope for negative inputs (0 <= a < 1; the
 * usual default is NN_ACTIVATION_LEAKY_SLOPE). The step and the ReLU have a
 * corner at 0 where the derivative does not exist; we use the value on the
 * left (0, or a), as the common libraries do. The step's derivative is 0
 * everywhere it exists: that is why gradient descent cannot train a network
 * of steps, and why the perceptron has its own learning rule.
 *
 * The sigmoid is computed so that it never overflows: for z >= 0 as
 * 1 / (1 + e^-z), for z < 0 as e^z / (1 + e^z), so e^x is only ever taken
 * of x <= 0. sigmoid(±800) is 1 and 0, not NaN.
 *
 * Four ways to call the same mathematics:
 *
 *   nn_activation_sigmoid(z), ...          one function, one scalar
 *   nn_activation_eval(kind, a, z)         any activation by kind, one scalar
 *   nn_activation_apply_matrix(kind, a, M) every entry of M, in place
 *   nn_activation_backward(kind, a, dZ, Z, dA)
 *                                          dZ = dA ⊙ g'(Z): backpropagation
 *                                          through the activation
 *
 * The kind is a knob: nn_activation_from_name("relu", &kind) turns a
 * command-line word into a kind, nn_activation_name(kind) turns it back.
 *
 * Errors: GSL_EINVAL for an unknown kind or name and NULL pointers, GSL_EDOM
 * for a leaky ReLU slope outside [0, 1), GSL_EBADLEN for shapes that differ
 * (the message names both).
 */
#ifndef NN_ACTIVATION_H
#define NN_ACTIVATION_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* The usual slope of a leaky ReLU for z < 0. */
#define NN_ACTIVATION_LEAKY_SLOPE 0.01

/* Which activation. IDENTITY is 0, so a zeroed array of kinds means "no
 * activation"; NN_ACTIVATION_COUNT is the number of kinds, for loops over
 * all of them. */
typedef enum nn_activation_kind {
  NN_ACTIVATION_IDENTITY = 0,  /* "identity" (also "none", "linear") */
  NN_ACTIVATION_STEP,          /* "step": Heaviside, the perceptron's */
  NN_ACTIVATION_SIGMOID,       /* "sigmoid": squashes into (0, 1) */
  NN_ACTIVATION_TANH,          /* "tanh": squashes into (-1, 1) */
  NN_ACTIVATION_RELU,          /* "relu": rectified linear unit */
  NN_ACTIVATION_LEAKY_RELU,    /* "leaky_relu" (also "leaky-relu") */
  NN_ACTIVATION_COUNT          /* not a kind: how many there are */
} nn_activation_kind;

/* ===== One scalar ===== */

double nn_activation_identity(double z);
double nn_activation_identity_deriv(double z);
double nn_activation_step(double z);
double nn_activation_step_deriv(double z);
double nn_activation_sigmoid(double z);         /* never overflows */
double nn_activation_sigmoid_deriv(double z);
double nn_activation_tanh(double z);
double nn_activation_tanh_deriv(double z);
double nn_activation_relu(double z);
double nn_activation_relu_deriv(double z);
double nn_activation_leaky_relu(double z, double slope);
double nn_activation_leaky_relu_deriv(double z, double slope);

/* g(z) and g'(z) for any kind; slope is read by the leaky ReLU only.
 * Return NaN for an unknown kind (scalar functions cannot report). */
double nn_activation_eval(nn_activation_kind kind, double slope, double z);
double nn_activation_deriv(nn_activation_kind kind, double slope, double z);

/* ===== Names: the kind as a knob ===== */

/* The kind's name ("sigmoid", ...): a static string, do not free.
 * NULL (and GSL_EINVAL) for an unknown kind. */
const char *nn_activation_name(nn_activation_kind kind);

/* *kind = the activation called NAME (see the enum for names and aliases).
 * GSL_EINVAL when there is none; the message lists the known names. */
int nn_activation_from_name(const char *name, nn_activation_kind *kind);

/* ===== Vectors and matrices, in place ===== */

/* v_i = g(v_i), and M_ij = g(M_ij). */
int nn_activation_apply_vector(nn_activation_kind kind, double slope, gsl_vector *v);
int nn_activation_apply_matrix(nn_activation_kind kind, double slope, gsl_matrix *M);

/* A = g(Z), entry by entry, out of place: A and Z have one shape and may be
 * the same matrix. The forward pass of a network's layer. */
int nn_activation_forward(nn_activation_kind kind, double slope, gsl_matrix *A,
                          const gsl_matrix *Z);

/* v_i = g'(v_i), and M_ij = g'(M_ij): the derivative at the given inputs. */
int nn_activation_deriv_vector(nn_activation_kind kind, double slope, gsl_vector *v);
int nn_activation_deriv_matrix(nn_activation_kind kind, double slope, gsl_matrix *M);

/* ===== Backward ===== */

/* Backpropagation through A = g(Z), entry by entry (chain rule):
 *
 *   dZ = dA ⊙ g'(Z)
 *
 * Z is the input of the forward pass (the pre-activations), dA the gradient
 * of the cost with respect to its output; all three have one shape, e.g.
 * (B, N): one sample per row. dZ is overwritten (it is a gradient with
 * respect to an input, not a parameter); dZ may be dA (in place). */
int nn_activation_backward(nn_activation_kind kind, double slope, gsl_matrix *dZ,
                           const gsl_matrix *Z, const gsl_matrix *dA);

#endif /* NN_ACTIVATION_H */
