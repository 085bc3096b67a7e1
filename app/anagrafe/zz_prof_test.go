package anagrafe_test
import ("testing";"os";"github.com/sportello/sportello/app/anagrafe")
func TestZZProf(t *testing.T){
 f, _ := os.Open("/tmp/milano.csv")
 cs, err := anagrafe.Read(f, "F205")
 if err != nil { t.Fatal(err) }
 t.Log(len(cs))
}
