# -DRORM_SANITIZE=address,undefined (or thread) instruments every target of the build.
if(RORM_SANITIZE)
  set(_rorm_san_flags -fsanitize=${RORM_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_rorm_san_flags})
  add_link_options(-fsanitize=${RORM_SANITIZE})
  message(STATUS "RediORM: sanitizers ${RORM_SANITIZE}")
endif()
