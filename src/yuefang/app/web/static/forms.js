// yuefang: on the new-order form, show only the input fields of the chosen product.
(function () {
  "use strict";
  var form = document.getElementById("new-order-form");
  if (!form) { return; }
  var select = form.querySelector('select[name="product_id"]');
  var kinds = JSON.parse(form.dataset.kinds || "{}");
  function sync() {
    var id = select.value;
    form.querySelectorAll(".product-fields").forEach(function (box) {
      var show = id !== "" && (box.dataset.product === id || (box.dataset.kind && kinds[id] === box.dataset.kind));
      box.hidden = !show;
    });
  }
  select.addEventListener("change", sync);
  sync();
})();
