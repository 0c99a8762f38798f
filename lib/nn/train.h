/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/train.h: what a training loop needs around the network: predictions
 * and accuracy over a whole data set, the confusion matrix, the L2 penalty,
 * and early stopping.
 *
 * Predictions. A network's output for one sample is either one number (a
 * sigmoid's probability of class 1: the class is 1 when it is above 1/2) or
 * one score per class (the class is the argmax, the first on ties). A data
 * set may hold more samples than the network's max_batch: predictions run
 * batch by batch over views of its rows, without copying it.
 *
 * The confusion matrix C (K, K): C_ij counts the samples of true class i
 * predicted as class j; its diagonal holds the right answers, and the
 * accuracy is trace(C) / N.
 *
 * The L2 penalty (weight decay) adds (λ/2)‖θ‖² to the cost, so its gradient
 * adds λθ to the gradient: large weights cost more, and the network prefers
 * small ones (lecture 10). It covers every parameter given; pass a view of
 * the weights alone to spare the biases.
 *
 * Early stopping watches the loss on the dev set after each epoch and stops
 * training when it has not improved by more than min_delta for `patience`
 * epochs; the best epoch is the one to go back to (keep a checkpoint of it,
 * nn/checkpoint.h).
 *
 *   nn_early_stop es;
 *   nn_early_stop_init(&es, 5, 0.0);
 *   for (epoch = 0; ; epoch++) {
 *     train one epoch; dev = loss on the dev set;
 *     nn_early_stop_update(&es, epoch, dev, &best);
 *     if (best) save a checkpoint;
 *     if (es.stop) break;
 *   }
 *   load the checkpoint of epoch es.best_epoch
 *
 * Errors: GSL_EBADLEN for shapes that do not fit (both in the message),
 * GSL_EDOM for a class label that is not a whole number in [0, K), a
 * penalty λ that is negative or not finite, or a loss that is not a number;
 * GSL_EINVAL for NULL.
 */
#ifndef NN_TRAIN_H
#define NN_TRAIN_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include <nn/network.h>

/* ===== Predictions ===== */

/* classes[b] = the class of row b of the scores Y (B, K): argmax for K > 1,
 * (Y_b0 > 1/2) for K = 1. classes has B entries. */
int nn_train_argmax(const gsl_matrix *Y, gsl_vector *classes);

/* classes[i] = the network's class for row i of X (N, s_0), any N: run
 * batch by batch (up to max_batch rows at a time). */
int nn_train_predict(nn_network *net, const gsl_matrix *X, gsl_vector *classes);

/* *accuracy = the share of rows of X whose predicted class is labels[i]. */
int nn_train_accuracy(nn_network *net, const gsl_matrix *X, const gsl_vector *labels,
                      double *accuracy);

/* C (K, K) = the confusion matrix of the true classes `truth` and the
 * predicted `predicted` (N entries each, whole numbers in [0, K)). */
int nn_train_confusion(const gsl_vector *truth, const gsl_vector *predicted, gsl_matrix *C);

/* ===== The L2 penalty ===== */

/* *penalty = (λ/2)‖θ‖² (when penalty is not NULL), and grads += λθ (when
 * grads is not NULL). theta and grads have the same length. */
int nn_train_l2_penalty(const gsl_vector *theta, double lambda, gsl_vector *grads,
                        double *penalty);

/* ===== Early stopping ===== */

typedef struct nn_early_stop {
  unsigned patience;   /* epochs without improvement before stopping, >= 1 */
  double min_delta;    /* an improvement must be larger than this, >= 0 */
  double best;         /* the lowest loss so far (+∞ before the first) */
  long best_epoch;     /* the epoch it was seen at (-1 before the first) */
  unsigned waited;     /* epochs since the best */
  int stop;            /* 1 once patience ran out */
} nn_early_stop;

/* Start watching: patience >= 1 and min_delta >= 0 (GSL_EDOM otherwise). */
int nn_early_stop_init(nn_early_stop *es, unsigned patience, double min_delta);

/* Record the dev loss of EPOCH. *is_best (when not NULL) = 1 when it is a
 * new best (lower than best − min_delta), else 0; es->stop = 1 once
 * `patience` epochs in a row brought nothing better. A loss that is not a
 * number stops at once and reports GSL_EDOM. */
int nn_early_stop_update(nn_early_stop *es, long epoch, double dev_loss, int *is_best);

#endif /* NN_TRAIN_H */
