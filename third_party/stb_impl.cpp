// The one translation unit that compiles the stb implementations libnst uses, from Debian's libstb-dev
// headers (no copy of stb lives in this repository). Compiled without warnings: it is not our code.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb_image.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>
