# SPDX-License-Identifier: GPL-3.0-or-later
## lib/: the nncourse library (libnncourse), the reference implementation of
## everything the course teaches.

lib_LTLIBRARIES += lib/libnncourse.la
lib_libnncourse_la_SOURCES = \
	%D%/linalg.c \
	%D%/deriv.c \
	%D%/poly.c \
	%D%/spawn.c \
	%D%/spawn.h \
	%D%/plot.c \
	%D%/graph.c \
	%D%/descent.c \
	%D%/autograd.c \
	%D%/data.c \
	%D%/perceptron.c \
	%D%/activation.c \
	%D%/softmax.c \
	%D%/dense.c \
	%D%/network.c \
	%D%/loss.c \
	%D%/gradcheck.c \
	%D%/optim.c \
	%D%/checkpoint.c \
	%D%/dropout.c \
	%D%/train.c \
	%D%/idx.c \
	%D%/check.c \
	%D%/check.h \
	%D%/rnn.c \
	%D%/attention.c
lib_libnncourse_la_LIBADD = $(GSL_LIBS) $(ZLIB_LIBS)
# GSL's accessors inlined (range checks stay on: the library checks shapes
# itself, but a slip should still be caught, not corrupt memory).
lib_libnncourse_la_CPPFLAGS = $(AM_CPPFLAGS) -DHAVE_INLINE $(ZLIB_CFLAGS)
lib_libnncourse_la_LDFLAGS = -version-info 0:0:0 $(AM_LDFLAGS)

nnincludedir = $(includedir)/nn
nninclude_HEADERS = \
	%D%/nn/nn.h \
	%D%/nn/linalg.h \
	%D%/nn/deriv.h \
	%D%/nn/poly.h \
	%D%/nn/plot.h \
	%D%/nn/graph.h \
	%D%/nn/descent.h \
	%D%/nn/autograd.h \
	%D%/nn/data.h \
	%D%/nn/perceptron.h \
	%D%/nn/activation.h \
	%D%/nn/softmax.h \
	%D%/nn/dense.h \
	%D%/nn/optim.h \
	%D%/nn/checkpoint.h \
	%D%/nn/dropout.h \
	%D%/nn/train.h \
	%D%/nn/idx.h \
	%D%/nn/network.h \
	%D%/nn/loss.h \
	%D%/nn/gradcheck.h \
	%D%/nn/rnn.h \
	%D%/nn/attention.h
