package rtm_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ipr-go/ipr/rtm"
)

// TestZeroViews calls every method that takes no arguments on the zero
// value of every view: none may panic, and the iterators must end.
func TestZeroViews(t *testing.T) {
	for _, v := range []any{rtm.Link{}, rtm.Addr{}, rtm.Route{}, rtm.Neigh{}, rtm.Rule{},
		rtm.Nexthop{}, rtm.NexthopBucket{}, rtm.NeighTable{}, rtm.Event{}, rtm.Value{}} {
		rv := reflect.ValueOf(v)
		calls := 0
		for i := 0; i < rv.NumMethod(); i++ {
			m := rv.Type().Method(i)
			if m.Type.NumIn() != 1 { // the receiver only
				continue
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%T.%s panics on the zero value: %v", v, m.Name, p)
					}
				}()
				for _, out := range rv.Method(i).Call(nil) {
					drain(out)
				}
				calls++
			}()
		}
		if calls == 0 {
			t.Errorf("%T: no method called", v)
		}
		if g, ok := v.(interface {
			Get(...string) (rtm.Value, bool)
		}); ok {
			if _, found := g.Get("anything", "at", "all"); found {
				t.Errorf("%T.Get found something in the zero value", v)
			}
		}
	}
}

// drain runs an iterator result to its end and marshals values, so that
// the lazy parts run too.
func drain(out reflect.Value) {
	switch out.Kind() {
	case reflect.Func:
		switch out.Type().NumIn() {
		case 1:
			yield := reflect.MakeFunc(out.Type().In(0), func(args []reflect.Value) []reflect.Value {
				for _, a := range args {
					drain(a)
				}
				return []reflect.Value{reflect.ValueOf(true)}
			})
			out.Call([]reflect.Value{yield})
		}
	default:
		if out.CanInterface() {
			_, _ = json.Marshal(out.Interface())
		}
	}
}
