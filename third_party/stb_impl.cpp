// The one translation unit that compiles the stb implementations libnst uses, from Debian's libstb-dev
// headers (no copy of stb lives in this repository). Compiled without warnings: it is not our code.
// stb_image decodes only BMP and TGA here (JPEG and PNG go to libjpeg-turbo and libpng: lib/src/*_codec.cpp),
// and refuses a side over libnst's limit before allocating for it.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS 16384
#include <stb_image.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>
