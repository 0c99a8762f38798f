/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/rnn.h: recurrent layers, an Elman RNN and an LSTM, on a batch of
 * sequences, with backpropagation through time.
 *
 * Names used throughout:  B = batch size (samples, one per row), T = steps
 * of the sequence, N_in = inputs per step, H = hidden units, N_out =
 * outputs per step (0: no output layer), G = gates per hidden unit (1 for
 * the Elman cell, 4 for the LSTM).
 *
 * A sequence is stored step after step: X is (T·B, N_in), and rows
 * t·B .. t·B + B − 1 hold the B samples' inputs x_t at step t (t = 0..T−1,
 * written x_1..x_T below). The same for the outputs Y (T·B, N_out) and
 * their gradients.
 *
 * The Elman cell (one sample; on a batch every vector is a row):
 *
 *   h_t = tanh(W_xh x_t + W_hh h_(t−1) + b_h)     W_xh (H, N_in), W_hh (H, H)
 *   y_t = W_hy h_t + b_y                          W_hy (N_out, H)
 *
 * The same weights at every step: unrolled over T steps the layer is a deep
 * network of T layers that share W_xh, W_hh and b_h.
 *
 * The LSTM cell keeps a second state, the cell c_t, which is changed only
 * by an element-wise product and a sum from one step to the next. Four
 * gates, in PyTorch's order i, f, g, o (rows of W_xh, W_hh and b_h, H each):
 *
 *   a_t = W_xh x_t + W_hh h_(t−1) + b_h           (4H): a_i, a_f, a_g, a_o
 *   i = σ(a_i)  input gate      f = σ(a_f)  forget gate
 *   g = tanh(a_g)  candidate    o = σ(a_o)  output gate
 *   c_t = f ⊙ c_(t−1) + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 *   y_t = W_hy h_t + b_y
 *
 * Backward through time (BPTT). Given dY (∂J/∂y_t for every t) and/or dH
 * (∂J/∂h_t from elsewhere, e.g. a loss on the last state only), the pass
 * runs t = T..1 carrying dh = ∂J/∂h_t (and dc = ∂J/∂c_t):
 *
 *   dh  = W_hyᵀ dy_t + dH_t + (what step t+1 sent back)
 *   Elman:  da = dh ⊙ (1 − h_t²)
 *   LSTM:   dc += dh ⊙ o ⊙ (1 − tanh² c_t)
 *           da_i = dc ⊙ g ⊙ i(1 − i)          da_f = dc ⊙ c_(t−1) ⊙ f(1 − f)
 *           da_g = dc ⊙ i ⊙ (1 − g²)          da_o = dh ⊙ tanh c_t ⊙ o(1 − o)
 *           dc ← dc ⊙ f                        (to step t−1)
 *   dW_xh += da x_tᵀ   dW_hh += da h_(t−1)ᵀ   db_h += da   dx_t = W_xhᵀ da
 *   dh ← W_hhᵀ da                              (to step t−1)
 *
 * so dh at step t − k has gone through W_hhᵀ and the tanh' k times: it
 * shrinks (vanishing) or grows (exploding) geometrically with k, which
 * nn_rnn_grad_norms() shows. What reaches t = 0 is ∂J/∂h_0 (and ∂J/∂c_0).
 *
 * The parameter gradients accumulate (+=) as in the dense layer; input and
 * state gradients (dX, dh0, dc0) are overwritten. Since the whole of dX and
 * of the weight gradients are sums over the steps, they are computed for all
 * steps at once: only the recurrence itself runs step by step.
 *
 * Storage. Like the dense layer, the layer does not own its parameters:
 * W_xh, W_hh, b_h, W_hy, b_y (in this order, matrices row by row; the shapes
 * of torch.nn.RNN's and torch.nn.LSTM's weight_ih_l0, weight_hh_l0,
 * bias_ih_l0, then a torch.nn.Linear) are views into a vector the caller
 * owns, and their gradients views into its twin; so an optimizer
 * (nn/optim.h) and its gradient-norm clipping see one vector. (torch has two
 * biases, bias_ih and bias_hh, that only ever appear as their sum: b_h is
 * that sum.) The layer owns what the backward pass needs, sized at
 * nn_rnn_alloc() for up to max_steps steps of max_batch rows: a copy of X,
 * every h_t (and c_t and the gates for the LSTM), and workspaces. Forward
 * and backward never allocate.
 *
 * Legal call order:
 *
 *   n = nn_rnn_n_params(NN_RNN_LSTM, N_in, H, N_out);
 *   params, grads = gsl_vector_calloc(n);
 *   rnn = nn_rnn_alloc(NN_RNN_LSTM, N_in, H, N_out, max_batch, max_steps,
 *                      params, grads);
 *   nn_rnn_init(rnn, rng);                       or set params yourself
 *   loop:
 *     gsl_vector_set_zero(grads);
 *     nn_rnn_forward(rnn, Y, X, T, h0, c0);      T·B rows, T <= max_steps
 *     (a loss gives dY, or dH)
 *     nn_rnn_backward(rnn, dX, dh0, dc0, dY, dH);  grads += ∂J/∂params
 *     [nn_rnn_grad_norms(rnn, norms);]           ‖∂J/∂h_(T−k)‖ for each k
 *     (nn_optim_clip_grad_norm(grads, ...); nn_optim_step(opt, params, grads))
 *   nn_rnn_free(rnn);                            then free params and grads
 *
 * Errors: GSL_EBADLEN for shapes that do not fit, T = 0 or T > max_steps
 * (the message names the sizes), GSL_EDOM for an input that is not finite
 * (NaN or infinite: the message names the matrix, the entry and its shape),
 * GSL_EINVAL for NULL, zero sizes, an unknown kind, a c0 or dc0 given to an
 * Elman cell, or a backward with no forward; GSL_ENOMEM.
 */
#ifndef NN_RNN_H
#define NN_RNN_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

typedef enum nn_rnn_kind {
  NN_RNN_ELMAN,   /* h_t = tanh(W_xh x_t + W_hh h_(t−1) + b_h) */
  NN_RNN_LSTM,    /* gates i, f, g, o and a cell state c_t */
  NN_RNN_N_KINDS  /* not a kind: how many there are */
} nn_rnn_kind;

typedef struct nn_rnn {
  nn_rnn_kind kind;
  size_t n_in;          /* N_in: inputs per step */
  size_t n_hidden;      /* H: hidden units */
  size_t n_out;         /* N_out: outputs per step; 0 for no output layer */
  size_t n_gates;       /* G: 1 (Elman) or 4 (LSTM) */
  size_t max_batch;     /* the most rows a batch may have */
  size_t max_steps;     /* the longest sequence */
  gsl_matrix_view W_xh; /* (G·H, N_in): input to hidden (gates), in params */
  gsl_matrix_view W_hh; /* (G·H, H): hidden to hidden (gates), in params */
  gsl_vector_view b_h;  /* (G·H): hidden (gate) biases, in params */
  gsl_matrix_view W_hy; /* (N_out, H): hidden to output, in params (N_out > 0) */
  gsl_vector_view b_y;  /* (N_out): output biases, in params (N_out > 0) */
  gsl_matrix_view dW_xh, dW_hh, dW_hy;  /* their gradients: views into grads */
  gsl_vector_view db_h, db_y;
  gsl_matrix *X;        /* (max_steps·max_batch, N_in), owned: a copy of the
                           last forward's X, for dW_xh */
  gsl_matrix *Hs;       /* ((max_steps + 1)·max_batch, H), owned: h_0..h_T,
                           step after step, for dW_hh, dW_hy and tanh' */
  gsl_matrix *Cs;       /* LSTM: ((max_steps + 1)·max_batch, H), owned:
                           c_0..c_T; NULL for the Elman cell */
  gsl_matrix *A;        /* LSTM: (max_steps·max_batch, 4H), owned: the gates
                           i, f, g, o of every step, squashed; NULL for the
                           Elman cell (its h_t in Hs is all tanh' needs) */
  gsl_matrix *dA;       /* (max_steps·max_batch, G·H), owned: workspace of
                           the backward pass, ∂J/∂a_t for every step */
  gsl_matrix *dHs;      /* (max_steps·max_batch, H), owned: workspace,
                           ∂J/∂h_t from the outputs and dH */
  gsl_matrix *dh;       /* (max_batch, H), owned: ∂J/∂h_t carried back */
  gsl_matrix *dc;       /* LSTM: (max_batch, H), owned: ∂J/∂c_t carried back */
  gsl_vector *h_norms;  /* (max_steps + 1), owned: ‖∂J/∂h_t‖ of the last
                           backward, t = 0..T */
  size_t batch;         /* B of the last forward; 0 before the first */
  size_t steps;         /* T of the last forward */
  int backward_run;     /* 1 once the last forward's backward has run
                           (h_norms is then its) */
} nn_rnn;

/* How many numbers the layer's parameters hold:
 * G·H·N_in + G·H·H + G·H + N_out·H + N_out. 0 for an unknown kind. */
size_t nn_rnn_n_params(nn_rnn_kind kind, size_t n_in, size_t n_hidden, size_t n_out);

/* A layer of kind KIND, N_in -> H (-> N_out when n_out > 0), for up to
 * max_steps steps of up to max_batch rows, whose parameters are views into
 * params and gradients views into grads (each nn_rnn_n_params() entries,
 * unit stride; they must outlive the layer and are not changed here). NULL
 * (and an error) on bad sizes or no memory. */
nn_rnn *nn_rnn_alloc(nn_rnn_kind kind, size_t n_in, size_t n_hidden, size_t n_out,
                     size_t max_batch, size_t max_steps, gsl_vector *params,
                     gsl_vector *grads);

/* Frees the layer and its caches, not params or grads. Accepts NULL. */
void nn_rnn_free(nn_rnn *rnn);

/* PyTorch's initialization: every parameter uniform in [−1/√H, 1/√H]
 * (the output layer's in [−1/√H, 1/√H] too, as torch.nn.Linear(H, N_out)
 * does); gradients set to 0. */
int nn_rnn_init(nn_rnn *rnn, gsl_rng *rng);

/* The forward pass over T = steps steps. X is (T·B, N_in), 1 <= T <=
 * max_steps, 1 <= B <= max_batch (B is X's rows over T); h0 (B, H) is the initial state (NULL: zeros), and c0
 * (B, H) the LSTM's initial cell (NULL: zeros; must be NULL for Elman).
 * Y (T·B, N_out) receives y_1..y_T when not NULL (it must be NULL when
 * N_out = 0). h0 and c0 may be the last forward's nn_rnn_hidden(rnn, T) and
 * nn_rnn_cell(rnn, T): a long sequence then runs in chunks, each chunk
 * starting where the last one ended (truncated BPTT). Keeps what the backward pass needs; h_t stays readable
 * through nn_rnn_hidden(). */
int nn_rnn_forward(nn_rnn *rnn, gsl_matrix *Y, const gsl_matrix *X, size_t steps,
                   const gsl_matrix *h0, const gsl_matrix *c0);

/* h_t (B, H) of the last forward, t = 0..T (h_0 the initial state): a view
 * into the layer (do not free), valid until the next forward. As GSL's own
 * views, a view whose matrix.data is NULL (and GSL_EINVAL before the first
 * forward, GSL_EBADLEN for t > T) when there is no such state. */
_gsl_matrix_const_view nn_rnn_hidden(const nn_rnn *rnn, size_t t);

/* c_t (B, H) of the last forward of an LSTM, t = 0..T, as nn_rnn_hidden(). */
_gsl_matrix_const_view nn_rnn_cell(const nn_rnn *rnn, size_t t);

/* Backpropagation through time over the last forward's T steps. dY
 * (T·B, N_out) is ∂J/∂y_t and dH (T·B, H) is ∂J/∂h_t from outside the layer
 * (rows of h_1..h_T); either may be NULL (dY must be when N_out = 0), not
 * both. grads += ∂J/∂params; dX (T·B, N_in) = ∂J/∂X, dh0 (B, H) = ∂J/∂h_0
 * and dc0 (B, H) = ∂J/∂c_0 (LSTM only) are overwritten when not NULL. */
int nn_rnn_backward(nn_rnn *rnn, gsl_matrix *dX, gsl_matrix *dh0, gsl_matrix *dc0,
                    const gsl_matrix *dY, const gsl_matrix *dH);

/* norms[k] = ‖∂J/∂h_(T−k)‖ (Frobenius norm over the batch) for k = 0..T,
 * from the last backward: the gradient that reaches the state k steps back
 * from the end, through every path (lecture 12's "gradient norm vs steps
 * back"; with a loss on the last step only, it decays or grows with k).
 * norms has T + 1 entries. */
int nn_rnn_grad_norms(const nn_rnn *rnn, gsl_vector *norms);

/* "elman", "lstm"; NULL for an unknown kind. */
const char *nn_rnn_name(nn_rnn_kind kind);

#endif /* NN_RNN_H */
