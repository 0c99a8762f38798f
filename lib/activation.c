/* SPDX-License-Identifier: GPL-3.0-or-later */
/* activation.c: activation functions and their derivatives (see nn/activation.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include <nn/activation.h>

/* ===== One scalar =====
 *
 * Each activation and its derivative, written as in the table of the header.
 */

double
nn_activation_identity(double z)
{
  return z;
}

double
nn_activation_identity_deriv(double z)
{
  (void) z;
  return 1.0;
}

double
nn_activation_step(double z)
{
  return z >= 0.0 ? 1.0 : 0.0;
}

double
nn_activation_step_deriv(double z)
{
  (void) z;  /* flat on both sides of the jump */
  return 0.0;
}

double
nn_activation_sigmoid(double z)
{
  /* 1 / (1 + e^-z) overflows e^-z for z < -709; the same number written as
   * e^z / (1 + e^z) does not. Take e^x only of x <= 0. */
  if (z >= 0.0)
    return 1.0 / (1.0 + exp(-z));
  const double e = exp(z);
  return e / (1.0 + e);
}

double
nn_activation_sigmoid_deriv(double z)
{
  const double s = nn_activation_sigmoid(z);
  return s * (1.0 - s);
}

double
nn_activation_tanh(double z)
{
  return tanh(z);
}

double
nn_activation_tanh_deriv(double z)
{
  const double t = tanh(z);
  return 1.0 - t * t;
}

double
nn_activation_relu(double z)
{
  return z > 0.0 ? z : 0.0;
}

double
nn_activation_relu_deriv(double z)
{
  return z > 0.0 ? 1.0 : 0.0;
}

double
nn_activation_leaky_relu(double z, double slope)
{
  return z > 0.0 ? z : slope * z;
}

double
nn_activation_leaky_relu_deriv(double z, double slope)
{
  return z > 0.0 ? 1.0 : slope;
}

double
nn_activation_eval(nn_activation_kind kind, double slope, double z)
{
  switch (kind) {
  case NN_ACTIVATION_IDENTITY:   return nn_activation_identity(z);
  case NN_ACTIVATION_STEP:       return nn_activation_step(z);
  case NN_ACTIVATION_SIGMOID:    return nn_activation_sigmoid(z);
  case NN_ACTIVATION_TANH:       return nn_activation_tanh(z);
  case NN_ACTIVATION_RELU:       return nn_activation_relu(z);
  case NN_ACTIVATION_LEAKY_RELU: return nn_activation_leaky_relu(z, slope);
  case NN_ACTIVATION_COUNT:      break;
  }
  return NAN;
}

double
nn_activation_deriv(nn_activation_kind kind, double slope, double z)
{
  switch (kind) {
  case NN_ACTIVATION_IDENTITY:   return nn_activation_identity_deriv(z);
  case NN_ACTIVATION_STEP:       return nn_activation_step_deriv(z);
  case NN_ACTIVATION_SIGMOID:    return nn_activation_sigmoid_deriv(z);
  case NN_ACTIVATION_TANH:       return nn_activation_tanh_deriv(z);
  case NN_ACTIVATION_RELU:       return nn_activation_relu_deriv(z);
  case NN_ACTIVATION_LEAKY_RELU: return nn_activation_leaky_relu_deriv(z, slope);
  case NN_ACTIVATION_COUNT:      break;
  }
  return NAN;
}

/* ===== Names =====
 *
 * One table gives each kind its name; a second one lists the aliases a user
 * may type on the command line.
 */

static const char *const kind_names[NN_ACTIVATION_COUNT] = {
  [NN_ACTIVATION_IDENTITY] = "identity",
  [NN_ACTIVATION_STEP] = "step",
  [NN_ACTIVATION_SIGMOID] = "sigmoid",
  [NN_ACTIVATION_TANH] = "tanh",
  [NN_ACTIVATION_RELU] = "relu",
  [NN_ACTIVATION_LEAKY_RELU] = "leaky_relu",
};

static const struct {
  const char *name;
  nn_activation_kind kind;
} aliases[] = {
  {"none", NN_ACTIVATION_IDENTITY},
  {"linear", NN_ACTIVATION_IDENTITY},
  {"leaky-relu", NN_ACTIVATION_LEAKY_RELU},
};

/* Is KIND one of the enum's kinds? (An enum variable can hold any int.) */
static int
kind_is_known(nn_activation_kind kind)
{
  return (int) kind >= 0 && (int) kind < (int) NN_ACTIVATION_COUNT;
}

const char *
nn_activation_name(nn_activation_kind kind)
{
  if (!kind_is_known(kind)) {
    char msg[96];
    snprintf(msg, sizeof msg, "nn_activation_name: unknown activation kind %d",
             (int) kind);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  return kind_names[kind];
}

int
nn_activation_from_name(const char *name, nn_activation_kind *kind)
{
  if (name == NULL || kind == NULL)
    GSL_ERROR("nn_activation_from_name: name and kind must not be NULL", GSL_EINVAL);
  for (int k = 0; k < (int) NN_ACTIVATION_COUNT; k++)
    if (strcmp(name, kind_names[k]) == 0) {
      *kind = (nn_activation_kind) k;
      return GSL_SUCCESS;
    }
  for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
    if (strcmp(name, aliases[k].name) == 0) {
      *kind = aliases[k].kind;
      return GSL_SUCCESS;
    }
  char msg[256];
  snprintf(msg, sizeof msg,
           "nn_activation_from_name: unknown activation \"%.64s\" (known: identity,"
           " step, sigmoid, tanh, relu, leaky_relu; none and linear mean identity)",
           name);
  GSL_ERROR(msg, GSL_EINVAL);
}

/* ===== Vectors and matrices =====
 *
 * The same scalar functions, entry by entry. The checks come first and are
 * shared: a known kind, and for the leaky ReLU a slope in [0, 1) (a slope of
 * 1 would make it the identity, and above 1 it would amplify negatives).
 */

static int
check_kind(const char *who, nn_activation_kind kind, double slope)
{
  char msg[160];
  if (!kind_is_known(kind)) {
    snprintf(msg, sizeof msg, "%s: unknown activation kind %d", who, (int) kind);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (kind == NN_ACTIVATION_LEAKY_RELU && !(slope >= 0.0 && slope < 1.0)) {
    snprintf(msg, sizeof msg, "%s: a leaky ReLU's slope must be in [0, 1), not %g",
             who, slope);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

/* g or g' of every entry of v (the loop every vector function shares). */
static int
map_vector(const char *who, nn_activation_kind kind, double slope, gsl_vector *v,
           double (*g)(nn_activation_kind, double, double))
{
  int status = check_kind(who, kind, slope);
  if (status != GSL_SUCCESS)
    return status;
  if (v == NULL) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s: v must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  for (size_t i = 0; i < v->size; i++) {
    double *vi = gsl_vector_ptr(v, i);
    *vi = g(kind, slope, *vi);
  }
  return GSL_SUCCESS;
}

static int
map_matrix(const char *who, nn_activation_kind kind, double slope, gsl_matrix *M,
           double (*g)(nn_activation_kind, double, double))
{
  int status = check_kind(who, kind, slope);
  if (status != GSL_SUCCESS)
    return status;
  if (M == NULL) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s: M must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  for (size_t i = 0; i < M->size1; i++)
    for (size_t j = 0; j < M->size2; j++) {
      double *mij = gsl_matrix_ptr(M, i, j);
      *mij = g(kind, slope, *mij);
    }
  return GSL_SUCCESS;
}

int
nn_activation_apply_vector(nn_activation_kind kind, double slope, gsl_vector *v)
{
  return map_vector("nn_activation_apply_vector", kind, slope, v, nn_activation_eval);
}

int
nn_activation_apply_matrix(nn_activation_kind kind, double slope, gsl_matrix *M)
{
  return map_matrix("nn_activation_apply_matrix", kind, slope, M, nn_activation_eval);
}

/* The loops of the forward and backward passes, row by row through plain
 * pointers, with the choice of g made once per call rather than once per
 * entry: a network spends its time here between two matrix products. */

int
nn_activation_forward(nn_activation_kind kind, double slope, gsl_matrix *A,
                      const gsl_matrix *Z)
{
  int status = check_kind("nn_activation_forward", kind, slope);
  if (status != GSL_SUCCESS)
    return status;
  if (A == NULL || Z == NULL)
    GSL_ERROR("nn_activation_forward: A and Z must not be NULL", GSL_EINVAL);
  if (A->size1 != Z->size1 || A->size2 != Z->size2) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_activation_forward: Z is %zux%zu but A is %zux%zu",
             Z->size1, Z->size2, A->size1, A->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t n = Z->size2;
  for (size_t i = 0; i < Z->size1; i++) {
    const double *z = gsl_matrix_const_ptr(Z, i, 0);
    double *a = gsl_matrix_ptr(A, i, 0);
    switch (kind) {
    case NN_ACTIVATION_IDENTITY:
      if (a != z)
        memcpy(a, z, n * sizeof *a);
      break;
    case NN_ACTIVATION_RELU:
      for (size_t j = 0; j < n; j++)
        a[j] = z[j] > 0 ? z[j] : 0.0;
      break;
    default:
      for (size_t j = 0; j < n; j++)
        a[j] = nn_activation_eval(kind, slope, z[j]);
    }
  }
  return GSL_SUCCESS;
}

int
nn_activation_deriv_vector(nn_activation_kind kind, double slope, gsl_vector *v)
{
  return map_vector("nn_activation_deriv_vector", kind, slope, v, nn_activation_deriv);
}

int
nn_activation_deriv_matrix(nn_activation_kind kind, double slope, gsl_matrix *M)
{
  return map_matrix("nn_activation_deriv_matrix", kind, slope, M, nn_activation_deriv);
}

/* ===== Backward =====
 *
 * A = g(Z) acts on each entry alone, so its Jacobian is diagonal and the chain
 * rule is a product entry by entry: ∂J/∂Z_ij = ∂J/∂A_ij · g'(Z_ij).
 */

int
nn_activation_backward(nn_activation_kind kind, double slope, gsl_matrix *dZ,
                       const gsl_matrix *Z, const gsl_matrix *dA)
{
  int status = check_kind("nn_activation_backward", kind, slope);
  if (status != GSL_SUCCESS)
    return status;
  if (dZ == NULL || Z == NULL || dA == NULL)
    GSL_ERROR("nn_activation_backward: dZ, Z and dA must not be NULL", GSL_EINVAL);
  char msg[160];
  if (dA->size1 != Z->size1 || dA->size2 != Z->size2) {
    snprintf(msg, sizeof msg, "nn_activation_backward: Z is %zux%zu but dA is %zux%zu",
             Z->size1, Z->size2, dA->size1, dA->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (dZ->size1 != Z->size1 || dZ->size2 != Z->size2) {
    snprintf(msg, sizeof msg, "nn_activation_backward: Z is %zux%zu but dZ is %zux%zu",
             Z->size1, Z->size2, dZ->size1, dZ->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t n = Z->size2;
  for (size_t i = 0; i < Z->size1; i++) {
    const double *z = gsl_matrix_const_ptr(Z, i, 0), *da = gsl_matrix_const_ptr(dA, i, 0);
    double *dz = gsl_matrix_ptr(dZ, i, 0);  /* may be da: each entry read, then written */
    switch (kind) {
    case NN_ACTIVATION_IDENTITY:
      if (dz != da)
        memcpy(dz, da, n * sizeof *dz);
      break;
    case NN_ACTIVATION_RELU:
      for (size_t j = 0; j < n; j++)
        dz[j] = z[j] > 0 ? da[j] : 0.0;
      break;
    default:
      for (size_t j = 0; j < n; j++)
        dz[j] = da[j] * nn_activation_deriv(kind, slope, z[j]);
    }
  }
  return GSL_SUCCESS;
}
