/* SPDX-License-Identifier: GPL-3.0-or-later */
/* running.c: the running problem of lectures 2 to 7 (see running.h). */
#include <config.h>

#include <math.h>
#include <string.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "running.h"

static double
sigmoid(double a)
{
  return 1.0 / (1.0 + exp(-a));
}

nn_data *
running_data(double sd, unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (r == NULL)
    return NULL;
  gsl_rng_set(r, seed);
  nn_data *data = nn_data_xor(r, RUNNING_PER_CORNER, sd);
  gsl_rng_free(r);
  return data;
}

void
running_hand_set(running_net *net, double k)
{
  /* h1 = x1 OR x2: on when x1 + x2 > 1/2;  h2 = x1 NAND x2: on when
   * x1 + x2 < 3/2;  ŷ = h1 AND h2: on when h1 + h2 > 3/2. */
  net->w[0][0] = k;   net->w[0][1] = k;   net->b[0] = -0.5 * k;
  net->w[1][0] = -k;  net->w[1][1] = -k;  net->b[1] = 1.5 * k;
  net->v[0] = k;      net->v[1] = k;      net->c = -1.5 * k;
}

static const char *const names[RUNNING_N_PARAMS] = {
  "w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c"};

double *
running_param(running_net *net, size_t i)
{
  switch (i) {
  case 0: return &net->w[0][0];
  case 1: return &net->w[0][1];
  case 2: return &net->w[1][0];
  case 3: return &net->w[1][1];
  case 4: return &net->b[0];
  case 5: return &net->b[1];
  case 6: return &net->v[0];
  case 7: return &net->v[1];
  case 8: return &net->c;
  default: return NULL;
  }
}

const char *
running_param_name(size_t i)
{
  return i < RUNNING_N_PARAMS ? names[i] : NULL;
}

double *
running_param_by_name(running_net *net, const char *name)
{
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++)
    if (strcmp(names[i], name) == 0)
      return running_param(net, i);
  return NULL;
}

double
running_predict(const running_net *net, const double x[2], double h[2])
{
  double hh[2];
  for (int j = 0; j < 2; j++)
    hh[j] = sigmoid(net->w[j][0] * x[0] + net->w[j][1] * x[1] + net->b[j]);
  if (h != NULL)
    memcpy(h, hh, sizeof hh);
  return sigmoid(net->v[0] * hh[0] + net->v[1] * hh[1] + net->c);
}

static void
sample(const nn_data *data, size_t i, double x[2], double *y)
{
  x[0] = gsl_matrix_get(data->X, i, 0);
  x[1] = gsl_matrix_get(data->X, i, 1);
  *y = gsl_vector_get(data->y, i);
}

double
running_cost(const running_net *net, const nn_data *data)
{
  const size_t n = data->X->size1;
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    double x[2], y;
    sample(data, i, x, &y);
    const double e = running_predict(net, x, NULL) - y;
    sum += e * e;
  }
  return sum / (double) n;
}

void
running_cost_grad(const running_net *net, const nn_data *data, running_net *grad)
{
  const size_t n = data->X->size1;
  memset(grad, 0, sizeof *grad);
  for (size_t i = 0; i < n; i++) {
    double x[2], y, h[2];
    sample(data, i, x, &y);
    const double yhat = running_predict(net, x, h);
    const double delta = 2.0 / (double) n * (yhat - y) * yhat * (1 - yhat);  /* ∂J/∂z */
    grad->c += delta;
    for (int j = 0; j < 2; j++) {
      grad->v[j] += delta * h[j];
      const double da = delta * net->v[j] * h[j] * (1 - h[j]);          /* ∂J/∂a_j */
      grad->b[j] += da;
      grad->w[j][0] += da * x[0];
      grad->w[j][1] += da * x[1];
    }
  }
}

double
running_accuracy(const running_net *net, const nn_data *data)
{
  const size_t n = data->X->size1;
  size_t right = 0;
  for (size_t i = 0; i < n; i++) {
    double x[2], y;
    sample(data, i, x, &y);
    right += (running_predict(net, x, NULL) > 0.5) == (y > 0.5);
  }
  return (double) right / (double) n;
}
