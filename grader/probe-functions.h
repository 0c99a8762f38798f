/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-functions.h: the functions a probe can hand to a student's function
 * that takes a gsl_function (a central difference, a descent).
 *
 * A function pointer cannot cross from nngrade to the probe, so a test
 * names a function by its kind and parameters p, and the probe builds it:
 *
 *   NNG_FN_POLY        p_0 + p_1 x + ... + p_n x^n   (at least one p)
 *   NNG_FN_SIN         sin(p_0 x + p_1)              (two p)
 *   NNG_FN_EXP         exp(p_0 x)                    (one p)
 *   NNG_FN_QUADRATIC   3x² - 3x + 4                  (no p)
 *   NNG_FN_WAVY        cos(2πx) + x²                 (no p)
 *
 * The last two are the nncourse library's nn_descent_quadratic and
 * nn_descent_wavy, written with the very expressions of lib/descent.c (the
 * probe does not link the library): the grader's expected answers come
 * from the library, and the same arithmetic gives the same numbers.
 */
#ifndef NNG_PROBE_FUNCTIONS_H
#define NNG_PROBE_FUNCTIONS_H

#include <stdint.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>

enum { NNG_FN_POLY = 1, NNG_FN_SIN, NNG_FN_EXP, NNG_FN_QUADRATIC, NNG_FN_WAVY };

/* A function of one variable: its kind, its parameters (NULL for none) and
 * how often it was evaluated. */
typedef struct nng_fn {
  int64_t kind;
  const gsl_vector *p;
  int64_t evaluations;
} nng_fn;

/* -1 when P has too few parameters for KIND (sin needs two, exp one), else
 * 0; an unknown kind evaluates to NaN. */
int nng_fn_check(int64_t kind, const gsl_vector *p);

/* The value (gsl_function) and the value with the derivative
 * (gsl_function_fdf), PARAMS an nng_fn; each evaluation counts. */
double nng_fn_eval(double x, void *params);
double nng_fn_deriv(double x, void *params);
void nng_fn_fdf(double x, void *params, double *f, double *df);

#endif /* NNG_PROBE_FUNCTIONS_H */
