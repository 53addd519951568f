/* The shared object dyn_dlopen loads: exported functions, data, and a
 * constructor that calls back into the program. */
extern int host_counter;

int plugin_constructed;

__attribute__((constructor)) static void init(void) {
  plugin_constructed = 1;
  host_counter += 10;
}

int plugin_add(int a, int b) { return a + b + host_counter - 10; }

const char *plugin_name(void) { return "dl_plugin"; }
