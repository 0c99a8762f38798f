/* nn/nn.h: every module of the nncourse library in one include. */
#ifndef NN_NN_H
#define NN_NN_H

#include <nn/linalg.h>
#include <nn/deriv.h>
#include <nn/poly.h>
#include <nn/plot.h>
#include <nn/graph.h>

#endif /* NN_NN_H */
