/* SPDX-License-Identifier: GPL-3.0-or-later */
/* running.h: the running problem of lectures 2 to 7.
 *
 * One small problem carried through the first half of the course, so that a
 * student meets the same points, the same network and the same loss from
 * the perceptron to backpropagation:
 *
 *   the data   "exclusive or" with noise: four clouds of RUNNING_PER_CORNER
 *              points (standard deviation sd) around the corners of the unit
 *              square; (0,0) and (1,1) are class 0, (0,1) and (1,0) class 1
 *              (nn_data_xor). No line separates the classes (lecture 2).
 *
 *   the model  a 2-2-1 network with sigmoid units (lecture 3):
 *
 *                a_j = w_j1 x_1 + w_j2 x_2 + b_j      h_j = σ(a_j)    j = 1, 2
 *                z   = v_1 h_1 + v_2 h_2 + c          ŷ   = σ(z)
 *
 *              Nine parameters. Set by hand, unit 1 computes x₁ OR x₂, unit 2
 *              x₁ NAND x₂, and the output h₁ AND h₂, which is x₁ XOR x₂.
 *
 *   the loss   squared error per sample, and the cost over the N samples
 *              (lecture 4), written out whole:
 *
 *                J(θ) = (1/N) Σ_i ( σ(v·σ(W x_i + b) + c) − y_i )²
 *
 *   its partials, by the chain rule (lectures 5 and 6), and the same numbers
 *   by backpropagation (lecture 7):
 *
 *                δ_i  = (2/N)(ŷ_i − y_i) ŷ_i (1 − ŷ_i)          ∂J/∂z_i
 *                ∂J/∂c   = Σ δ_i          ∂J/∂v_j = Σ δ_i h_ij
 *                ∂J/∂b_j = Σ δ_i v_j h_ij (1 − h_ij)
 *                ∂J/∂w_jk = Σ δ_i v_j h_ij (1 − h_ij) x_ik
 */
#ifndef NN_LECTURES_RUNNING_H
#define NN_LECTURES_RUNNING_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include <nn/data.h>

#define RUNNING_PER_CORNER 5     /* 20 points: the whole cost fits on a slide */
#define RUNNING_SD 0.15          /* spread of each cloud */
#define RUNNING_SEED 2024ul      /* the data set's own seed: the same points in
                                    every lecture, whatever --seed says */
#define RUNNING_SCALE 10.0       /* the hand-set weights are ±10, ±5, 15 */
#define RUNNING_N_PARAMS 9

/* The network's nine parameters. */
typedef struct running_net {
  double w[2][2];  /* w[j][k]: weight from input x_{k+1} to hidden unit j+1 */
  double b[2];     /* hidden biases */
  double v[2];     /* weights from the hidden units to the output */
  double c;        /* output bias */
} running_net;

/* The data set: RUNNING_PER_CORNER points per corner, spread SD, drawn from a
 * generator seeded with SEED (RUNNING_SD and RUNNING_SEED give the course's).
 * NULL (with a GSL error) for a bad SD. Free with nn_data_free(). */
nn_data *running_data(double sd, unsigned long seed);

/* The hand-set weights that solve the problem, scaled by K (RUNNING_SCALE for
 * the course's): OR and NAND in the hidden layer, AND at the output. */
void running_hand_set(running_net *net, double k);

/* Parameter I (0 to 8) in the order w11 w12 w21 w22 b1 b2 v1 v2 c, and its
 * name ("w11", ..., "c"); NULL past the end. RUNNING_PARAM(net, "v1") finds
 * one by name (NULL when no parameter has that name). */
double *running_param(running_net *net, size_t i);
const char *running_param_name(size_t i);
double *running_param_by_name(running_net *net, const char *name);

/* ŷ = the network's output for the input x (two numbers); h (may be NULL)
 * receives the hidden outputs h_1, h_2. */
double running_predict(const running_net *net, const double x[2], double h[2]);

/* J(θ): the mean squared error over the data set. */
double running_cost(const running_net *net, const nn_data *data);

/* The nine partials ∂J/∂θ by the chain rule, in the layout of a running_net. */
void running_cost_grad(const running_net *net, const nn_data *data, running_net *grad);

/* The share of samples classified right (ŷ > 1/2 means class 1). */
double running_accuracy(const running_net *net, const nn_data *data);

#endif /* NN_LECTURES_RUNNING_H */
