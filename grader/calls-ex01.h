/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calls-ex01.h: the calls nngrade can ask a probe of exercise 1 to make.
 *
 * Each request is the call's number followed by its arguments; each reply is
 * the status the student's function returned followed by its outputs (even on
 * an error, so that nngrade can see whether they were left untouched):
 *
 *   NNG_EX1_DOT      request: x (vector), y (vector), result (double, its value before the call)
 *                    reply:   status, result
 *   NNG_EX1_MATVEC   request: W (matrix), x (vector), y (vector, before)
 *                    reply:   status, y
 *   NNG_EX1_CENTRAL  request: function kind (int), its parameters (vector), x, h, result before
 *                    reply:   status, result, number of evaluations of f (int)
 *   NNG_EX1_POLYDER  request: c (vector), dc (vector, before), alias (int: 1 = pass c as dc)
 *                    reply:   status, dc
 *
 * The functions a central difference can be asked to differentiate, built in
 * the probe from their kind and parameters p:
 *
 *   NNG_FN_POLY   p_0 + p_1 x + ... + p_n x^n
 *   NNG_FN_SIN    sin(p_0 x + p_1)
 *   NNG_FN_EXP    exp(p_0 x)
 */
#ifndef NNG_CALLS_EX01_H
#define NNG_CALLS_EX01_H

enum {
  NNG_EX1_DOT = 1,
  NNG_EX1_MATVEC,
  NNG_EX1_CENTRAL,
  NNG_EX1_POLYDER
};

enum { NNG_FN_POLY = 1, NNG_FN_SIN, NNG_FN_EXP };

#endif /* NNG_CALLS_EX01_H */
