// The stand-in for cuBLAS's cublas_api.h (cublasGetProperty and the types): everything is in cublas_v2.h.
#pragma once

#include "cublas_v2.h"
