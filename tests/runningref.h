/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runningref.h: the running problem of lectures 2 to 7 (lectures/running.h),
 * written again from its definition for the lecture tests, independently of
 * the lessons' code, so that what a lecture prints about it can be checked:
 *
 *   the data   five points per corner of the unit square, each coordinate the
 *              corner plus a Gaussian draw of standard deviation sd, drawn in
 *              the order x₁ then x₂ from MT19937 seeded 2024; corners in the
 *              order (0,0), (1,1) (class 0), (0,1), (1,0) (class 1);
 *   the model  h_j = σ(w_j1 x₁ + w_j2 x₂ + b_j), ŷ = σ(v₁h₁ + v₂h₂ + c);
 *   the cost   J = (1/N) Σ (ŷ_i - y_i)²;
 *   partials   by central differences of J, nothing else.
 *
 * Parameters are nine numbers in the order w11 w12 w21 w22 b1 b2 v1 v2 c. */
#ifndef NN_RUNNINGREF_H
#define NN_RUNNINGREF_H

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define RR_N 20
#define RR_PARAMS 9

typedef struct rr_data {
  double x[RR_N][2];  /* the points */
  double y[RR_N];     /* their classes, 0 or 1 */
} rr_data;

static const char *const rr_names[RR_PARAMS] = {"w11", "w12", "w21", "w22", "b1",
                                                "b2", "v1", "v2", "c"};

/* The course's data set with spread SD. */
static inline void
rr_make_data(rr_data *d, double sd)
{
  static const double corner[4][2] = {{0, 0}, {1, 1}, {0, 1}, {1, 0}};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 2024);
  for (size_t i = 0; i < RR_N; i++) {
    for (size_t k = 0; k < 2; k++)
      d->x[i][k] = corner[i / 5][k] + gsl_ran_gaussian(r, sd);
    d->y[i] = i >= 10;
  }
  gsl_rng_free(r);
}

/* OR and NAND in the hidden layer, AND at the output, scaled by k. */
static inline void
rr_hand_set(double theta[RR_PARAMS], double k)
{
  const double t[RR_PARAMS] = {k, k, -k, -k, -0.5 * k, 1.5 * k, k, k, -1.5 * k};
  memcpy(theta, t, sizeof t);
}

/* The index of the parameter NAME; RR_PARAMS when there is none. */
static inline size_t
rr_index(const char *name)
{
  size_t i = 0;
  while (i < RR_PARAMS && strcmp(rr_names[i], name) != 0)
    i++;
  return i;
}

static inline double
rr_sigmoid(double a)
{
  return 1 / (1 + exp(-a));
}

static inline double
rr_cost(const double t[RR_PARAMS], const rr_data *d)
{
  double sum = 0;
  for (size_t i = 0; i < RR_N; i++) {
    const double *x = d->x[i];
    double h1 = rr_sigmoid(t[0] * x[0] + t[1] * x[1] + t[4]);
    double h2 = rr_sigmoid(t[2] * x[0] + t[3] * x[1] + t[5]);
    double e = rr_sigmoid(t[6] * h1 + t[7] * h2 + t[8]) - d->y[i];
    sum += e * e;
  }
  return sum / RR_N;
}

/* ∂J/∂θ_i by a central difference with h = 1e-5 max(|θ_i|, 1). */
static inline double
rr_partial(const double t[RR_PARAMS], size_t i, const rr_data *d)
{
  double up[RR_PARAMS], down[RR_PARAMS];
  memcpy(up, t, sizeof up);
  memcpy(down, t, sizeof down);
  const double h = 1e-5 * fmax(fabs(t[i]), 1.0);
  up[i] += h;
  down[i] -= h;
  return (rr_cost(up, d) - rr_cost(down, d)) / (2 * h);
}

#endif /* NN_RUNNINGREF_H */
