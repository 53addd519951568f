/* dlopen() of a shared object of ours (dl_plugin.so, path in argv[1]):
 * symbols resolved with dlsym, its constructor run, a callback into the
 * program, dlclose, and dlerror for a missing file. */
#include <dlfcn.h>
#include <stdio.h>

int host_counter; /* the plugin increments this through -rdynamic */

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: dyn_dlopen PATH/dl_plugin.so\n");
    return 2;
  }
  void *missing = dlopen("./no_such_library.so", RTLD_NOW);
  printf("missing library: %s\n", missing ? "loaded?!" : "refused");
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  int (*add)(int, int) = (int (*)(int, int))dlsym(h, "plugin_add");
  const char *(*name)(void) = (const char *(*)(void))dlsym(h, "plugin_name");
  int *ctor = (int *)dlsym(h, "plugin_constructed");
  if (!add || !name || !ctor) {
    printf("dlsym failed: %s\n", dlerror());
    return 1;
  }
  printf("plugin %s: 2+40=%d constructed=%d\n", name(), add(2, 40), *ctor);
  printf("host_counter=%d\n", host_counter);
  printf("unknown symbol: %s\n", dlsym(h, "nope") ? "found?!" : "absent");
  printf("dlclose: %d\n", dlclose(h));
  return 0;
}
