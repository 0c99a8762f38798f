/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/perceptron.h: the perceptron and its learning rule.
 *
 * One neuron with a step for its nonlinearity:
 *
 *   z = w0 + wᵀx = w0 + Σ_j w_j x_j      the weighted sum; the bias w0 is the
 *                                         intercept that lets the line miss 0
 *   ŷ = step(z) = 1 when z >= 0, else 0   the prediction, a class 0 or 1
 *
 * The points where z = 0 form a line in 2D (a hyperplane in general): the
 * perceptron says 1 on one side and 0 on the other, so it can only separate
 * classes that a line separates.
 *
 * The learning rule (Rosenblatt) nudges the line towards each sample it
 * gets wrong and leaves it alone for those it gets right:
 *
 *   w  += η (y - ŷ) x
 *   w0 += η (y - ŷ)
 *
 * (y - ŷ is 0 when right, +1 or -1 when wrong.) On data that a line
 * separates with a margin, the rule makes finitely many mistakes and then
 * none (the perceptron convergence theorem); on XOR it never stops making
 * them. An epoch applies the rule to every sample in order and counts the
 * mistakes it made on the way; an epoch with 0 mistakes changed nothing, so
 * training is over.
 *
 * Legal call order:
 *
 *   p = nn_perceptron_alloc(d);                  w = 0, w0 = 0
 *   nn_perceptron_randomize(p, rng, sd);          optional
 *   repeat: nn_perceptron_epoch(p, X, y, lr, &mistakes) until mistakes == 0
 *   nn_perceptron_predict(p, x, &yhat);  nn_perceptron_errors(p, X, y, &errors);
 *   nn_perceptron_free(p);
 *
 * X is (N, d), one sample per row; y has N labels, each 0 or 1.
 * Errors: GSL_EBADLEN when sizes do not fit (both sizes in the message);
 * GSL_EDOM for a learning rate that is not finite and positive, a label that
 * is not 0 or 1, a negative standard deviation; GSL_EINVAL for NULL.
 */
#ifndef NN_PERCEPTRON_H
#define NN_PERCEPTRON_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

/* A perceptron with d inputs. */
typedef struct nn_perceptron {
  gsl_vector *w;  /* d weights, one per input; owned by the perceptron */
  double w0;      /* the bias */
} nn_perceptron;

/* A perceptron with d >= 1 inputs, all weights and the bias 0. The caller
 * frees it with nn_perceptron_free. */
nn_perceptron *nn_perceptron_alloc(size_t d);

/* Accepts NULL. */
void nn_perceptron_free(nn_perceptron *p);

/* Every weight and the bias drawn from N(0, sd²), sd >= 0. */
int nn_perceptron_randomize(nn_perceptron *p, gsl_rng *r, double sd);

/* *z = w0 + wᵀx, the weighted sum; x has d entries. */
int nn_perceptron_sum(const nn_perceptron *p, const gsl_vector *x, double *z);

/* *yhat = step(w0 + wᵀx): 1.0 or 0.0. */
int nn_perceptron_predict(const nn_perceptron *p, const gsl_vector *x, double *yhat);

/* One step of the learning rule on the sample (x, y), y 0 or 1, lr > 0.
 * *mistake (may be NULL) receives 1 when the prediction before the step
 * was wrong (and the weights moved), 0 when it was right. */
int nn_perceptron_update(nn_perceptron *p, const gsl_vector *x, double y,
                         double lr, int *mistake);

/* The learning rule on every row of X in order; *mistakes receives how
 * many of them it got wrong (and learned from) during the epoch. */
int nn_perceptron_epoch(nn_perceptron *p, const gsl_matrix *X, const gsl_vector *y,
                        double lr, size_t *mistakes);

/* *errors = how many rows of X the perceptron misclassifies now (no learning). */
int nn_perceptron_errors(const nn_perceptron *p, const gsl_matrix *X,
                         const gsl_vector *y, size_t *errors);

#endif /* NN_PERCEPTRON_H */
