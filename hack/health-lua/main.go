// Command health-lua runs an Argo CD health script under gopher-lua, the interpreter Argo CD embeds, the way Argo CD
// calls it: the resource (JSON on stdin) as the global obj; it prints the returned status, a tab, the message.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	lua "github.com/yuin/gopher-lua"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: health-lua SCRIPT.lua < resource.json")
		os.Exit(2)
	}
	var obj map[string]interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&obj); err != nil {
		fmt.Fprintln(os.Stderr, "reading the resource:", err)
		os.Exit(2)
	}
	// Argo CD opens only the safe standard libraries; SkipOpenLibs plus these mirrors it.
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}} {
		l.Push(l.NewFunction(lib.fn))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoFile(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "running the script:", err)
		os.Exit(1)
	}
	hs, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		fmt.Fprintln(os.Stderr, "the script returned no table")
		os.Exit(1)
	}
	fmt.Printf("%s\t%s", lua.LVAsString(hs.RawGetString("status")), lua.LVAsString(hs.RawGetString("message")))
}

// toLua converts decoded JSON as Argo CD does: objects and arrays become tables (arrays 1-based), numbers LNumber.
func toLua(l *lua.LState, v interface{}) lua.LValue {
	switch x := v.(type) {
	case map[string]interface{}:
		t := l.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(l, e))
		}
		return t
	case []interface{}:
		t := l.NewTable()
		for _, e := range x {
			t.Append(toLua(l, e))
		}
		return t
	case string:
		return lua.LString(x)
	case float64:
		return lua.LNumber(x)
	case bool:
		return lua.LBool(x)
	default:
		return lua.LNil
	}
}
