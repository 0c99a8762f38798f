/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calls-ex04.h: the calls nngrade can ask a probe of exercise 4 to make.
 *
 * Each request is the call's number followed by its arguments; each reply is
 * the status the student's function returned followed by its outputs (even on
 * an error, so that nngrade can see whether they were left untouched):
 *
 *   NNG_EX4_MSE      request: Yhat (matrix), Y (matrix), losses (vector, before)
 *                    reply:   status, losses
 *   NNG_EX4_MSE_GRAD request: Yhat (matrix), Y (matrix), dYhat (matrix, before)
 *                    reply:   status, dYhat
 *   NNG_EX4_BCE      request: P, Y (matrices), losses (vector, before)
 *                    reply:   status, losses
 *   NNG_EX4_BCE_GRAD request: P, Y, dP (matrices; dP before)
 *                    reply:   status, dP
 *   NNG_EX4_CE       request: Z, Y (matrices), losses (vector, before)
 *                    reply:   status, losses
 *   NNG_EX4_CE_GRAD  request: Z, Y, dZ (matrices; dZ before)
 *                    reply:   status, dZ
 *   NNG_EX4_COST     request: losses (vector, may have 0 entries), cost (double, before)
 *                    reply:   status, cost
 *
 * A matrix in a reply has the shape it had in the request.
 */
#ifndef NNG_CALLS_EX04_H
#define NNG_CALLS_EX04_H

enum {
  NNG_EX4_MSE = 1,
  NNG_EX4_MSE_GRAD,
  NNG_EX4_BCE,
  NNG_EX4_BCE_GRAD,
  NNG_EX4_CE,
  NNG_EX4_CE_GRAD,
  NNG_EX4_COST
};

#endif /* NNG_CALLS_EX04_H */
