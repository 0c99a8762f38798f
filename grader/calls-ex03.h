/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calls-ex03.h: the calls nngrade can ask a probe of exercise 3 to make.
 *
 * Each request is the call's number followed by its arguments; each reply is
 * the status the student's function returned followed by its outputs (even on
 * an error, so that nngrade can see whether they were left untouched):
 *
 *   NNG_EX3_DENSE    request: X (matrix), W (matrix), b (vector), Y (matrix, its value before the call)
 *                    reply:   status, Y
 *   NNG_EX3_SOFTMAX  request: z (vector), T (double), p (vector, before)
 *                    reply:   status, p
 *   NNG_EX3_FORWARD  request: the number of layers L (int), then for each layer
 *                             W (matrix), b (vector), activation (int);
 *                             then X (matrix), Y (matrix, before)
 *                    reply:   status, Y
 *
 * A forward pass has at most NNG_EX3_MAX_LAYERS layers; L = 0 calls the
 * student's function with no layers at all (a NULL array).
 */
#ifndef NNG_CALLS_EX03_H
#define NNG_CALLS_EX03_H

enum {
  NNG_EX3_DENSE = 1,
  NNG_EX3_SOFTMAX,
  NNG_EX3_FORWARD
};

#define NNG_EX3_MAX_LAYERS 16

#endif /* NNG_CALLS_EX03_H */
