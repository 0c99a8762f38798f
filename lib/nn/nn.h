/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/nn.h: every module of the nncourse library in one include. */
#ifndef NN_NN_H
#define NN_NN_H

#include <nn/linalg.h>
#include <nn/deriv.h>
#include <nn/poly.h>
#include <nn/plot.h>
#include <nn/graph.h>
#include <nn/descent.h>
#include <nn/autograd.h>
#include <nn/data.h>
#include <nn/perceptron.h>
#include <nn/activation.h>
#include <nn/softmax.h>
#include <nn/dense.h>
#include <nn/optim.h>
#include <nn/checkpoint.h>
#include <nn/dropout.h>
#include <nn/train.h>
#include <nn/idx.h>
#include <nn/network.h>
#include <nn/loss.h>
#include <nn/gradcheck.h>
#include <nn/rnn.h>
#include <nn/attention.h>

#endif /* NN_NN_H */
