#ifndef SCALEFIT_CLAPACK_SHIM_H
#define SCALEFIT_CLAPACK_SHIM_H
// Debian's liblapacke-dev: the C interface to reference LAPACK.
#include <lapacke.h>
#endif
