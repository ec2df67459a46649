// Tells the applicant at once when a file is too large, instead of after a long upload. The server checks again.
document.querySelectorAll('input[type=file][data-max-bytes]').forEach(function (input) {
    input.addEventListener('change', function () {
        var max = Number(input.dataset.maxBytes);
        var maxFiles = Number(input.dataset.maxFiles || 1);
        var message = '';
        if (input.files.length > maxFiles) {
            message = 'Choose at most ' + maxFiles + ' files.';
        }
        for (var i = 0; i < input.files.length; i++) {
            if (input.files[i].size > max) {
                message = 'Each file may be at most ' + Math.floor(max / 1048576) + ' MB.';
            }
        }
        input.setCustomValidity(message);
        input.reportValidity();
    });
});
